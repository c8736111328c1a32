/**
 * The interfaces domains use to reach each other (never HTTP, never another domain's tables). The
 * domains that own the resources (keys, registry, volumes, IPs, billing; microservices for their directory)
 * provide them from their module (`provides` in `<domain>/index.ts`); microservices and load balancers consume them through
 * `Services.resources`. Read-only `check*` methods throw the catalog error that the
 * consuming endpoint must answer, so the consumer keeps the reference's order of checks (404 → state →
 * 409 → quota); the mutating methods take the consumer's transaction so that a failed request changes
 * nothing anywhere.
 */
import type { ErrorName } from '../catalog/index.ts';
import type { Tx } from '../store/db.ts';
import type { MetricName, Sample } from '../runtime/metrics.ts';

export interface Owner {
  id: number;
  user_name: string;
}

export interface ResolvedImage {
  /** `hub.c.163.com/<owner>/<repo_name>:<tag>` with the tag made explicit. */
  image_path: string;
  owner: string;
  repo_name: string;
  tag: string;
  /** The repository id (own, other users' and official catalog images); absent for `library` images. */
  repo_id?: number;
}

export interface ImageLookup {
  /**
   * Resolves an `image_path` per microservices.md §2.8 (own repositories, `public`, `library`, other
   * users' public repositories). Throws NO_SUCH_REPOSITORY, NO_SUCH_IMAGE, IMAGE_STATUS_ABNORMAL or
   * MICROSERVICE_FAVORITE_REPOSITORY_PRIVATE as that section says.
   */
  resolve(owner: Owner, imagePath: string): Promise<ResolvedImage>;
  /** The user's built tags (status 2), newest first, for `GET /api/v1/microservices/images`. */
  userImages(owner: Owner): Promise<ResolvedImage[]>;
  /** The official catalog's images (`public/...`), for the same endpoint. */
  officialImages(): ResolvedImage[];
  /**
   * The beta API's image list (legacy-containers-apps.md, "List container images"): the legacy public
   * catalog and the caller's built tags as custom images, each sorted by weight descending, then id.
   */
  legacyImages(owner: Owner): Promise<{ custom: LegacyImage[]; public: LegacyImage[] }>;
  /** One entry of that list by `image_type` (1 public, 2 custom) and id; undefined when it is not listed. */
  legacyImage(owner: Owner, imageType: number, id: number): Promise<LegacyImage | undefined>;
  /**
   * Save as image: writes `tag` into the caller's repository `repoName` (created private, without CI, when
   * absent), built from `sourceImage`; returns the custom image id of the tag. Throws IMAGE_QUOTA_INSUFFICIENT,
   * IMAGE_STATUS_ABNORMAL (the tag is building) or TAG_QUOTA_INSUFFICIENT as the registry's builds do.
   */
  saveTag(owner: Owner, quotas: { repositories: number; tags: number }, repoName: string, tag: string, sourceImage: string): Promise<number>;
}

/** An image of the beta API's lists; `image_path` is what a container built from it runs. */
export interface LegacyImage {
  tag: string;
  desc: string;
  weight: number;
  id: number;
  name: string;
  constraint: { min_combo: number; max_combo: number; min_machine_spec: number; max_machine_spec: number } | null;
  image_path: string;
}

export interface SecretKeys {
  /** Which of `names` name SSH keys of the caller (microservices.md §3.5 `ssh_keys`). */
  existingNames(owner: Owner, names: string[]): Promise<Set<string>>;
  /** Which of `ids` are the caller's secret keys (legacy-containers-apps.md `ssh_key_ids`). */
  existingIds(owner: Owner, ids: number[]): Promise<Set<number>>;
}

export interface VolumeMount {
  volumeId: number;
  mountPath: string;
  /** The microservice container (`container_id`) the volume is mounted in. */
  serviceContainerId: number;
}

export interface VolumeBinding {
  /**
   * Checks that each id is the caller's volume, is Ext4, and is `create_succ`: throws
   * NO_SUCH_CLOUD_VOLUME, MICROSERVICE_VOLUME_INFO_INVALID (Raw), VOLUME_CANT_OPERATE_IN_CURRENT_STATE
   * (mounted or busy) or VOLUME_STATUS_ABNORMAL (failed): every id's existence first, then every format, then states.
   */
  checkAttachable(owner: Owner, volumeIds: number[]): Promise<void>;
  /** `create_succ → mount_succ`, `service_name` = `<namespace display name>/<service name>`, mappings set. */
  attach(tx: Tx, owner: Owner, serviceName: string, mounts: VolumeMount[]): Promise<void>;
  /** Back to `create_succ`, `service_name` "", `volume_mappings` []; data kept. */
  detach(tx: Tx, owner: Owner, volumeIds: number[]): Promise<void>;
  /** Names of the caller's volumes by id (detail views). */
  names(owner: Owner, volumeIds: number[]): Promise<Map<number, string>>;
}

export interface IpBindingTarget {
  service_type: 'microservice' | 'loadbalancer' | string;
  service_id: string;
  service_name: string;
}

export interface IpBinding {
  /**
   * Checks that `ipId` is the caller's IP of `type`, and `available`: throws NO_SUCH_IP (4040302), the
   * `wrongType` code given by the consumer (e.g. MICROSERVICE_PUBLIC_NETWORK_INFO_INVALID), or `inUse` (e.g.
   * LB_IP_IS_USING, 4030411 "IP is using"). For `type` 'nlb' (a load balancer) `ipId` may also be the IP's
   * dotted-quad address; for 'nce' (a microservice's `ip_id`) it must be the id, an address is NO_SUCH_IP.
   */
  checkBindable(owner: Owner, ipId: string, type: 'nce' | 'nlb', codes: { wrongType: ErrorName; inUse: ErrorName }): Promise<void>;
  /**
   * `available → binded` with the target recorded; returns the address. For a `loadbalancer` target `ipId`
   * may also be the IP's dotted-quad address (a load balancer names its IP by `address`); any other target
   * names it by id. A `loadbalancer` target holds the IP
   * in `binding` for `config.ipBindingDelaySeconds` (while the LB is CREATING), then `binded`.
   */
  bind(tx: Tx, owner: Owner, ipId: string, target: IpBindingTarget): Promise<{ ip: string }>;
  /** Unbinds; `release` deletes the IP (microservice delete with `free_ip=true`). */
  unbind(tx: Tx, owner: Owner, ipId: string, release: boolean): Promise<void>;
  /** Address of the caller's IP, or null. */
  address(owner: Owner, ipId: string): Promise<string | null>;
  /**
   * A load balancer created without `address`: allocates a new `nlb` IP for the owner (billed from now
   * on, listed by `GET /api/v1/ips`) and binds it to `target` like `bind`, in the consumer's transaction.
   * Throws IP_QUOTA_INSUFFICIENT (4030302) when `quotas.ips_nlb` is used up, then IP_NOT_ENOUGH (5000303)
   * when the address pool is exhausted.
   */
  allocate(tx: Tx, owner: Owner, quotas: Record<string, number>, target: IpBindingTarget): Promise<{ id: string; ip: string }>;
}

export interface Billing {
  /** The current balance in CNY (may be negative after accrual: arrears); read in `tx` when given. */
  balance(userId: number, tx?: Tx): Promise<number>;
  /**
   * Refuses a paid operation: throws `code` (the family's own "balance insufficient" code, e.g.
   * VOLUME_BALANCE_INSUFFICIENT, IP_BALANCE_INSUFFICIENT) when the balance is below 50 CNY. Pass the
   * operation's transaction so the check and the purchase see the same balance.
   */
  requireBalance(tx: Tx, userId: number, code: ErrorName): Promise<void>;
  /** Amounts frozen for running pay-as-you-go resources (one hour of price each). */
  frozen(userId: number, tx?: Tx): Promise<number>;
  /**
   * Starts metering a running resource at `hourlyPrice` CNY/h from now on the server clock, and freezes
   * one hour of it. Replaces the meter if `(kind, resourceId)` already has one (price changes).
   * `at` (default: now) is the instant the resource was created or changed, so that billing starts at the
   * same second the resource reports as its `created_at`.
   */
  meter(tx: Tx, userId: number, kind: string, resourceId: string, hourlyPrice: number, at?: Date): Promise<void>;
  /** Stops metering (resource deleted or stopped); what accrued so far stays charged. */
  unmeter(tx: Tx, userId: number, kind: string, resourceId: string): Promise<void>;
  /**
   * What a resource has cost so far: the sum of its charges recorded by accrual (not recomputed from a
   * formula), and when metering started; undefined if it was never metered.
   */
  accrued(userId: number, kind: string, resourceId: string): Promise<{ amount: number; since: string } | undefined>;
  /** Users whose balance is below zero (arrears), for stopping their services. */
  usersInArrears(): Promise<number[]>;
}

/** One container of one pod of a microservice, by the names a client sees (monitoring.md "Dimension string"). */
export interface ContainerRef {
  /** Platform namespace name (`<display_name>-<user_name>`). */
  namespace: string;
  serviceName: string;
  podName: string;
  containerName: string;
}

/**
 * What the microservices domain lets the monitoring domain read: the caller's namespaces and the metric
 * samples of the caller's running containers. Read-only; never another user's data.
 */
export interface Workloads {
  /** Whether `namespace` (platform name) is one of the owner's namespaces. */
  ownsNamespace(owner: Owner, namespace: string): Promise<boolean>;
  /**
   * Raw samples of one container's metric in [from, to), from the runtime that runs it. `[]` when the
   * service, pod or container does not exist (or no longer exists), or the service is stopped.
   */
  samples(owner: Owner, container: ContainerRef, metric: MetricName, from: Date, to: Date): Promise<Sample[]>;
}

/** Every contract, each provided by one module (app.ts checks that all are provided). */
export interface Resources {
  keys: SecretKeys;
  images: ImageLookup;
  volumes: VolumeBinding;
  ips: IpBinding;
  billing: Billing;
  workloads: Workloads;
  /** Namespaces and microservices, provided by the microservices module (load balancers' backends). */
  directory: MicroserviceDirectory;
  /** What the load-balancer module tells others about its LBs (a namespace holding LBs is not deletable). */
  loadBalancers: LoadBalancerUsage;
}

export interface LoadBalancerUsage {
  /**
   * Namespaces (system names) of the user that hold at least one LB, any status. Read in `tx` when given
   * (the caller's transaction under the user's lock).
   */
  namespacesInUse(userId: number, tx?: Tx): Promise<Set<string>>;
}

/** A microservice as a load balancer sees its backend (load-balancers.md, Objects: `instanceStatus`). */
export interface Backend {
  name: string;
  /** Service ports (`port_maps[].port`) with protocol TCP. */
  tcpPorts: number[];
  /** In its normal running state: a `*_succ` status, not stopped for arrears, at least one pod. */
  up: boolean;
}

/**
 * What the microservices domain shows other domains of its namespaces and services (read-only; load
 * balancers address namespaces by system name and forward to the services in them).
 */
export interface MicroserviceDirectory {
  /**
   * The caller's namespace whose system name (`<display>-<user>`) is `systemName`, or undefined. The
   * caller's `default` namespace exists from the first call on, as for the microservices endpoints.
   */
  findNamespace(owner: Owner, systemName: string): Promise<{ id: number; namespace: string } | undefined>;
  /** The services of one of the caller's namespaces, by name. */
  backends(owner: Owner, namespaceId: number): Promise<Map<string, Backend>>;
  /** System names of the caller's namespaces by id (`default` included). */
  namespaces(owner: Owner): Promise<Array<{ id: number; namespace: string }>>;
}
