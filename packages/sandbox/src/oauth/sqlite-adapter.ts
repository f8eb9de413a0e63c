import type Database from 'better-sqlite3';
import type { Adapter, AdapterPayload } from 'oidc-provider';

const SCHEMA = `
create table if not exists oidc (
  model text not null, id text not null, payload text not null,
  grant_id text, uid text, user_code text, expires_at integer,
  primary key (model, id)
);
create index if not exists oidc_by_grant on oidc (grant_id);
create index if not exists oidc_by_uid on oidc (model, uid);
`;

/**
 * oidc-provider's persistence (sessions, grants, codes, refresh tokens) in the sandbox's SQLite file,
 * so that a pairing and its refresh token survive a restart as the patient's data does.
 */
export function sqliteAdapterFactory(db: Database.Database): (model: string) => Adapter {
  db.exec(SCHEMA);
  const upsert = db.prepare(
    `insert or replace into oidc (model, id, payload, grant_id, uid, user_code, expires_at)
     values (?, ?, ?, ?, ?, ?, ?)`,
  );
  const byId = db.prepare<[string, string, number], { payload: string }>(
    'select payload from oidc where model = ? and id = ? and (expires_at is null or expires_at > ?)',
  );
  const byColumn = (column: 'uid' | 'user_code') =>
    db.prepare<[string, string, number], { payload: string }>(
      `select payload from oidc where model = ? and ${column} = ? and (expires_at is null or expires_at > ?)`,
    );
  const byUid = byColumn('uid');
  const byUserCode = byColumn('user_code');
  const consume = db.prepare(`update oidc set payload = json_set(payload, '$.consumed', ?) where model = ? and id = ?`);
  const destroy = db.prepare('delete from oidc where model = ? and id = ?');
  // Per model, as oidc-provider asks it of each token model: an interaction under way that names the
  // grant (a patient switching accounts in MES's window) must survive the grant's tokens.
  const revokeByGrant = db.prepare('delete from oidc where model = ? and grant_id = ?');
  const parse = (row: { payload: string } | undefined) =>
    row ? (JSON.parse(row.payload) as AdapterPayload) : undefined;

  return (model: string): Adapter => ({
    async upsert(id, payload, expiresIn) {
      const expiresAt = expiresIn ? Date.now() + expiresIn * 1000 : null;
      upsert.run(
        model,
        id,
        JSON.stringify(payload),
        payload.grantId ?? null,
        payload.uid ?? null,
        payload.userCode ?? null,
        expiresAt,
      );
    },
    async find(id) {
      return parse(byId.get(model, id, Date.now()));
    },
    async findByUid(uid) {
      return parse(byUid.get(model, uid, Date.now()));
    },
    async findByUserCode(userCode) {
      return parse(byUserCode.get(model, userCode, Date.now()));
    },
    async consume(id) {
      consume.run(Math.floor(Date.now() / 1000), model, id);
    },
    async destroy(id) {
      destroy.run(model, id);
    },
    async revokeByGrantId(grantId) {
      revokeByGrant.run(model, grantId);
    },
  });
}
