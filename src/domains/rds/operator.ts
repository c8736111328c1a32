/**
 * Operator endpoints of the RDS domain (docs/rds.md): instances bought outside the API (monthly or
 * yearly, with or without a confirmed order) and simulated outcomes (provisioning failed).
 */
import { ApiError } from '../../catalog/index.ts';
import { defineRoute, reply } from '../../http/route.ts';
import { inUserTransaction } from '../../store/transaction.ts';
import { checkSpec, systemDatabases } from './rules.ts';
import { instanceOne, operatorInstanceBody, seedInstanceBody } from './schemas.ts';
import { RdsStore } from './store.ts';
import { instanceView } from './views.ts';
import { CREATE_SECONDS } from './routes.ts';

export const rdsOperatorRoutes = [
  defineRoute({
    method: 'POST', path: '/_opencomb/rds/instances', operationId: 'operatorSeedRdsInstance', tag: 'operator', auth: 'operator',
    summary: 'Seed an instance bought outside the API (MONTH/YEAR; an unconfirmed order stays creating)',
    body: seedInstanceBody,
    errors: ['NO_SUCH_USER', 'INVALID_PARAMETERS'],
    success: { status: 201, description: 'the instance as the query endpoint shows it', ...instanceOne },
    async handler({ body, services }) {
      const { store, clock, identity } = services;
      const user = await identity.findUserByName(body.user_name);
      if (!user) throw new ApiError('NO_SUCH_USER');
      try {
        checkSpec(body.cpu, body.memory);
      } catch {
        throw new ApiError('INVALID_PARAMETERS', { param: 'memory' });
      }
      const now = clock.iso();
      const confirmed = body.charge_type === 'HOUR' || body.order_confirmed;
      // A taken name is an invalid parameter of the operator API (it has no "already exists" code).
      await inUserTransaction(store, user.id, (tx) => new RdsStore(tx).insertInstance(user.id, {
        name: body.instance_name, engine_version: body.engine_version, cpu: body.cpu, memory: body.memory, disk_size: body.disk_size, port: body.port,
        charge_type: body.charge_type, order_confirmed: confirmed, status: confirmed ? 'available' : 'creating', now, readyAt: confirmed ? now : null,
      }, systemDatabases(body.engine_version)), new ApiError('INVALID_PARAMETERS', { param: 'instance_name' }));
      const row = (await new RdsStore(store.db).findInstance(user.id, body.instance_name))!;
      return reply.json(instanceView(row, ''), 201);
    },
  }),
  defineRoute({
    method: 'PATCH', path: '/_opencomb/rds/instances/:user_name/:instance_name', operationId: 'operatorSetRdsInstance', tag: 'operator', auth: 'operator',
    summary: 'Simulate an outcome: set an instance’s status (e.g. failed) or confirm its order',
    body: operatorInstanceBody,
    errors: ['NO_SUCH_USER', 'RDS_DBINSTANCE_NOT_FOUND'],
    success: { status: 200, description: 'the instance as the query endpoint shows it', ...instanceOne },
    async handler({ params, body, services }) {
      const { store, clock, identity } = services;
      const user = await identity.findUserByName(params.user_name ?? '');
      if (!user) throw new ApiError('NO_SUCH_USER');
      const rds = new RdsStore(store.db);
      const row = await rds.findInstance(user.id, params.instance_name ?? '');
      if (!row) throw new ApiError('RDS_DBINSTANCE_NOT_FOUND');
      const confirmed = body.order_confirmed ?? row.order_confirmed === 1;
      const status = body.status ?? row.status;
      // A `creating` instance with a confirmed order finishes provisioning after the usual delay.
      const readyAt = status === 'creating' && (confirmed || row.charge_type === 'HOUR') ? clock.iso(new Date(clock.now().getTime() + CREATE_SECONDS * 1000)) : row.ready_at;
      await rds.updateInstance(row.id, { status, order_confirmed: confirmed ? 1 : 0, ready_at: status === 'creating' ? readyAt : row.ready_at });
      const fresh = (await rds.findInstance(user.id, row.name))!;
      return reply.json(instanceView(fresh, await rds.latestRestorable(row.id)));
    },
  }),
];
