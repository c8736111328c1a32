/**
 * Where microservices are placed. Routes never talk to an orchestrator directly: they store the wanted
 * configuration, hand one operation at a time to a `Runtime`, and later observe its outcome (the due task
 * of the microservices domain). The simulated runtime (default) completes operations on the server clock;
 * a Kubernetes runtime maps the same calls onto Deployments/StatefulSets/Services/PVCs (docs/runtime.md).
 */
import type { MetricName, Sample } from './metrics.ts';

export interface ContainerTemplate {
  /** The container definition's id (`container_id`). */
  containerId: number;
  name: string;
  image: string;
  command: string | null;
  envs: Array<{ key: string; value: string }>;
  logDirs: string[];
  cpuWeight: number;
  memoryWeight: number;
  sshKeys: string[];
  volumes: Array<{ volumeId: number; mountPath: string }>;
}

/** The wanted state of one service: everything an orchestrator needs to run its pods. */
export interface ServiceTemplate {
  serviceId: number;
  serviceName: string;
  /** Platform namespace name (`<display_name>-<user_name>`). */
  namespace: string;
  stateful: boolean;
  replicas: number;
  specAlias: string;
  portMaps: Array<{ protocol: 'TCP' | 'UDP'; port: number; target_port: number }>;
  containers: ContainerTemplate[];
}

/** One replica: its name, LAN IP and one runtime container id per container definition (index-aligned). */
export interface Pod {
  name: string;
  lanIp: string;
  dockerIds: string[];
}

/**
 * An operation handed to the runtime. `rollout` marks a changed pod template (update-stateless,
 * update-image, specification): every pod is replaced. Port and public-network updates do not touch pods.
 */
export type Operation =
  | { kind: 'create' }
  | { kind: 'update'; rollout: boolean; minReadySeconds?: number }
  | { kind: 'scale'; from: number; to: number }
  | { kind: 'restart'; hard: boolean }
  | { kind: 'restart-container'; dockerId: string };

export interface Outcome {
  ok: boolean;
  /** The service's pods once the operation has finished (oldest first). */
  pods: Pod[];
}

export interface Runtime {
  readonly name: string;
  /**
   * Hands `op` for `template` to the backend. Resolves with the time it is expected to finish; throws
   * when the backend refuses it (the caller then stores nothing and answers its "fail" code).
   */
  submit(template: ServiceTemplate, op: Operation, now: Date): Promise<{ dueAt: Date }>;
  /**
   * The operation's outcome, or undefined while it is still running. `pods` are the pods recorded before
   * the operation (the simulated runtime derives the new ones from them; an orchestrator lists its own).
   */
  observe(template: ServiceTemplate, op: Operation, pods: Pod[], dueAt: Date, now: Date): Promise<Outcome | undefined>;
  /** Whether the runtime container's pod is running now (single-container restart answers 4030010 if not). */
  isRunning(template: ServiceTemplate, dockerId: string): Promise<boolean>;
  /** Stops every pod of the service (arrears) or starts them again; pods keep their names. */
  setStopped(template: ServiceTemplate, stopped: boolean): Promise<void>;
  /** Removes the service and its pods. */
  remove(template: ServiceTemplate): Promise<void>;
  /**
   * Raw samples of one runtime container's metric taken in [from, to) and not before `since` (when its
   * pod started); what the monitoring endpoint aggregates (monitoring.md).
   */
  samples(dockerId: string, metric: MetricName, from: Date, to: Date, since: Date): Promise<Sample[]>;
}
