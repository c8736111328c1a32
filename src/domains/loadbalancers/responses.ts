/** The schemas of this domain's success answers (load-balancers.md "Objects"), for the document and the test harness. */
import { r } from '../../http/response-schema.ts';

const status = r.enum(['CREATING', 'WORKING', 'DELETING', 'ERROR']);
const chargeMode = r.enum(['netflow', 'bandwidth']);
const time = (what: string) => r.dateTime(`${what}, UTC with milliseconds`);

const lbMembers = {
  name: r.string('LB name, unique in its namespace'),
  description: r.string(),
  address: r.string('IPv4 address of the LB’s nlb IP'),
  status,
  chargeMode,
  bandwidthLimit: r.int('Mbps, 1-1024'),
  createtime: time('creation time'),
  updatetime: time('last change of the LB, its listeners or its status'),
};

export const createdLbSchema = r.named('LoadBalancerCreated', r.object(lbMembers));

const { createtime, updatetime, ...head } = lbMembers;
const lbListed = {
  ...head,
  instanceStatus: r.enum(['UP', 'DOWN'], 'DOWN when a backend is gone, lacks the port or is not running'),
  namespace: r.string('namespace system name'),
  createtime,
  updatetime,
};
export const lbSchema = r.named('LoadBalancer', r.object(lbListed));

const policy = r.object({ mode: r.enum(['insert', 'rewrite']), expire: r.int('insert: seconds'), cookieName: r.string('rewrite: the application cookie') }, { optional: ['expire', 'cookieName'] });
const clusterMembers = {
  serverName: r.string('normalized host rules (not for tcp)'),
  certId: r.string('https only'),
  path: r.string('normalized URL rules (not for tcp)'),
  serviceName: r.string(),
  servicePort: r.int(),
  policy,
};
const optionalCluster = ['serverName', 'certId', 'path', 'policy'];
const cluster = r.object(clusterMembers, { optional: optionalCluster });
const namedCluster = r.object({ name: r.string('groupName_<uuid>'), ...clusterMembers }, { optional: optionalCluster });

const listener = (clusters: Record<string, unknown>) => r.object({
  name: r.string(), listenPort: r.int(), protocol: r.enum(['http', 'https', 'tcp']),
  createtime: time('creation time'), updatetime: time('last update'), clusters: r.array(clusters),
});

export const listenersSchema = r.array(r.named('Listener', listener(cluster)));
export const lbDetailSchema = r.named('LoadBalancerDetail', r.object({ ...lbListed, listeners: r.array(listener(namedCluster)) }));

export const certUploadedSchema = r.object({ id: r.string('lowercase UUID v4'), name: r.string() });
export const certsSchema = r.array(r.named('Certificate', r.object({
  id: r.string('lowercase UUID v4'), name: r.string(), fingerPrint: r.string('SHA-1 of the server certificate, XX:XX:…'),
  createtime: time('upload time'), updatetime: time('last update'),
})));
