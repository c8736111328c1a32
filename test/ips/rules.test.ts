import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApiError } from '../../src/catalog/index.ts';
import { lowestFree, parsePool, toDotted, toNumber } from '../../src/domains/ips/pool.ts';
import { checkQuota, checkReleasable, requestedCounts, serviceTypeLabel } from '../../src/domains/ips/rules.ts';

const code = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof ApiError);
    return err.errorName;
  }
  return 'ok';
};

describe('IP address pool', () => {
  it('parses CIDRs, excluding network and broadcast addresses', () => {
    const p = parsePool('59.111.0.0/16');
    assert.equal(toDotted(p.first), '59.111.0.1');
    assert.equal(toDotted(p.last), '59.111.255.254');
    const q = parsePool('10.0.0.5/30'); // host bits are ignored
    assert.deepEqual([toDotted(q.first), toDotted(q.last)], ['10.0.0.5', '10.0.0.6']);
    assert.deepEqual(parsePool('10.0.0.7/32'), { first: toNumber('10.0.0.7'), last: toNumber('10.0.0.7') });
    assert.equal(parsePool('10.0.0.0/31').last - parsePool('10.0.0.0/31').first, 1);
    for (const bad of ['59.111.0.0/33', '59.111.0/16', '300.1.1.1/8', 'pool', '1.2.3.4/x']) assert.throws(() => parsePool(bad));
  });

  it('converts addresses both ways', () => {
    for (const a of ['0.0.0.0', '255.255.255.255', '59.111.163.163', '10.0.0.1']) assert.equal(toDotted(toNumber(a)!), a);
    for (const bad of ['1.2.3', '1.2.3.256', 'a.b.c.d', '1.2.3.4.5', '']) assert.equal(toNumber(bad), undefined);
  });

  it('gives the lowest free addresses, skipping used ones and ignoring addresses outside the pool', () => {
    const p = parsePool('10.0.0.0/29'); // .1 - .6
    const n = (s: string) => toNumber(`10.0.0.${s}`)!;
    assert.deepEqual(lowestFree(p, [], 3)?.map(toDotted), ['10.0.0.1', '10.0.0.2', '10.0.0.3']);
    assert.deepEqual(lowestFree(p, [n('1'), n('3'), toNumber('9.9.9.9')!], 3)?.map(toDotted), ['10.0.0.2', '10.0.0.4', '10.0.0.5']);
    assert.deepEqual(lowestFree(p, [n('6'), n('2'), n('2')], 4)?.map(toDotted), ['10.0.0.1', '10.0.0.3', '10.0.0.4', '10.0.0.5']);
    assert.equal(lowestFree(p, [n('1')], 6), undefined);
    assert.deepEqual(lowestFree(p, [], 0), []);
  });
});

describe('IP rules', () => {
  it('requested counts: nothing → 4000302, zero total → 4000301', () => {
    assert.equal(code(() => requestedCounts({})), 'IP_MISSING_PARAM');
    assert.equal(code(() => requestedCounts({ nce: 0 })), 'IP_PARAMS_INVALID');
    assert.equal(code(() => requestedCounts({ nce: 0, nlb: 0 })), 'IP_PARAMS_INVALID');
    assert.deepEqual(requestedCounts({ nlb: 2 }), { nce: 0, nlb: 2 });
  });

  it('quota per requested type only', () => {
    const quotas = { ips_nce: 2, ips_nlb: 1 };
    assert.equal(code(() => checkQuota({ nce: 0, nlb: 0 }, { nce: 2, nlb: 1 }, quotas)), 'ok');
    assert.equal(code(() => checkQuota({ nce: 1, nlb: 0 }, { nce: 2, nlb: 0 }, quotas)), 'IP_QUOTA_INSUFFICIENT');
    assert.equal(code(() => checkQuota({ nce: 0, nlb: 1 }, { nce: 0, nlb: 1 }, quotas)), 'IP_QUOTA_INSUFFICIENT');
    assert.equal(code(() => checkQuota({ nce: 5, nlb: 0 }, { nce: 0, nlb: 1 }, quotas)), 'ok');
    assert.equal(code(() => checkQuota({ nce: 0, nlb: 0 }, { nce: 1, nlb: 0 }, {})), 'IP_QUOTA_INSUFFICIENT');
  });

  it('release refused while bound or being bound', () => {
    assert.equal(code(() => checkReleasable({ status: 'available', service_id: '' })), 'ok');
    assert.equal(code(() => checkReleasable({ status: 'disabled', service_id: '' })), 'ok');
    for (const row of [{ status: 'binding', service_id: 'x' }, { status: 'binded', service_id: '1' }, { status: 'disabled', service_id: '1' }]) {
      assert.equal(code(() => checkReleasable(row)), 'LB_IP_IS_USING');
    }
  });

  it('service_type labels', () => {
    assert.equal(serviceTypeLabel('loadbalancer'), '负载均衡');
    assert.equal(serviceTypeLabel('microservice'), '服务');
    assert.equal(serviceTypeLabel('rds'), 'rds');
  });
});
