/**
 * The harness's contract check (test/helpers/contract.ts) can fail: an error code the answering route does
 * not declare, or a success body that breaks the route's declared schema, is refused. Run on the real route
 * declarations, with answers written out here.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Route } from '../../src/http/route.ts';
import { checkAnswer } from '../helpers/contract.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const answer = (status: number, json: unknown) => ({ status, json, text: JSON.stringify(json) });

describe('contract check of the harness', () => {
  let server: TestServer;
  let route: (id: string) => Route;
  before(async () => {
    server = await startTestServer('sqlite');
    route = (id) => server.running.routes.routes.find((r) => r.operationId === id)!;
  });
  after(() => server.close());

  test('an error code the route declares passes; one it does not declare fails', () => {
    const detail = route('getMicroservice');
    checkAnswer(detail, 'GET', '/api/v1/microservices/1', answer(404, { code: 4040141, message: 'No such microservice.' }));
    assert.throws(() => checkAnswer(detail, 'GET', '/api/v1/microservices/1', answer(409, { code: 4090116, message: 'Duplicate microservice name.' })), /getMicroservice does not declare/);
    assert.throws(() => checkAnswer(undefined, 'GET', '/nowhere', answer(400, { code: 4000112, message: 'Missing param.' })), /no route declares/);
    checkAnswer(undefined, 'GET', '/nowhere', answer(404, { code: 4040006, message: 'No such api.' }));
  });

  test('a success body must match the declared schema, JSON-encoded members included', () => {
    const create = route('createMicroservice');
    checkAnswer(create, 'POST', '/api/v1/microservices', answer(200, { service_id: '51573' }));
    assert.throws(() => checkAnswer(create, 'POST', '/api/v1/microservices', answer(200, { service_id: 51573 })), /success schema/);
    const list = route('listMicroservices');
    const item = {
      id: 1, status: 'create_succ', replicas: 1, service_name: 'a', stateful: 0, port_maps: [], stop_service: 0,
      spec_info: '{"cpu":1000,"disk_type":"SSD","memory":1073741824,"spec_alias":"C1M1S20","storage":20}',
    };
    checkAnswer(list, 'GET', '/api/v1/namespaces/1/microservices', answer(200, { total: 1, microservice_infos: [item] }));
    for (const broken of [{ ...item, status: 'running' }, { ...item, spec_info: '{"cpu":"1"}' }, { ...item, extra: 1 }]) {
      assert.throws(() => checkAnswer(list, 'GET', '/api/v1/namespaces/1/microservices', answer(200, { total: 1, microservice_infos: [broken] })), /success schema/);
    }
  });
});
