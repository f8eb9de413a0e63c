import Database from 'better-sqlite3';
import { identifiersOf, type Pairing, type SandboxStore, type StoredBinary, type StoredResource } from './store.js';

const SCHEMA = `
create table if not exists resources (
  type text not null, id text not null, persona text not null,
  version_id integer not null, last_updated text not null, json text not null,
  primary key (type, id)
);
create index if not exists resources_by_persona on resources (persona, type);
create table if not exists identifiers (
  type text not null, id text not null, persona text not null, system text not null, value text not null
);
create index if not exists identifiers_by_value on identifiers (persona, type, system, value);
create index if not exists identifiers_by_resource on identifiers (type, id);
create table if not exists binaries (
  id text primary key, persona text not null, content_type text not null, data blob not null
);
create table if not exists pairings (
  id text primary key, persona text not null, client_id text not null, finalities text not null,
  created_at text not null, updated_at text not null, approval text
);
create table if not exists settings (key text primary key, value text not null);
`;

interface ResourceRow {
  type: string;
  id: string;
  persona: string;
  version_id: number;
  last_updated: string;
  json: string;
}
interface BinaryRow {
  id: string;
  persona: string;
  content_type: string;
  data: Buffer;
}
interface PairingRow {
  id: string;
  persona: string;
  client_id: string;
  finalities: string;
  created_at: string;
  updated_at: string;
  approval: string | null;
}

const listKey = (persona: string, type: string) => `${persona}\u0000${type}`;

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

const toResource = (row: ResourceRow): StoredResource => ({
  type: row.type,
  id: row.id,
  persona: row.persona,
  versionId: row.version_id,
  lastUpdated: row.last_updated,
  resource: JSON.parse(row.json) as StoredResource['resource'],
});
const toBinary = (row: BinaryRow): StoredBinary => ({
  id: row.id,
  persona: row.persona,
  contentType: row.content_type,
  data: new Uint8Array(row.data),
});
const toPairing = (row: PairingRow): Pairing => ({
  id: row.id,
  persona: row.persona,
  clientId: row.client_id,
  finalities: JSON.parse(row.finalities) as string[],
  createdAt: row.created_at,
  updatedAt: row.updated_at,
  ...({ approvedAt: row.created_at, registered: [], ...(row.approval ? JSON.parse(row.approval) : {}) } as Pick<
    Pairing,
    'approvedAt' | 'registered' | 'reapprovalRequired'
  >),
});

/** The sandbox's persistence on disk (better-sqlite3, WAL), so that data survives a restart. */
export class SqliteStore implements SandboxStore {
  readonly db: Database.Database;
  private readonly statements;
  private readonly lists = new Map<string, StoredResource[]>();

  constructor(filename: string) {
    this.db = new Database(filename);
    this.db.pragma('journal_mode = WAL');
    // WAL with NORMAL sync cannot corrupt the file; a crash may lose the last commits — fine for a sandbox.
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('foreign_keys = ON');
    this.db.exec(SCHEMA);
    // Data folders made before re-approval existed get its column.
    const columns = this.db.prepare<[], { name: string }>('pragma table_info(pairings)').all();
    if (!columns.some((c) => c.name === 'approval')) this.db.exec('alter table pairings add column approval text');
    const db = this.db;
    this.statements = {
      upsert: db.prepare(
        `insert into resources (type, id, persona, version_id, last_updated, json)
         values (@type, @id, @persona, @versionId, @lastUpdated, @json)
         on conflict (type, id) do update set persona = excluded.persona, version_id = excluded.version_id,
           last_updated = excluded.last_updated, json = excluded.json`,
      ),
      dropIdentifiers: db.prepare('delete from identifiers where type = ? and id = ?'),
      addIdentifier: db.prepare('insert into identifiers (type, id, persona, system, value) values (?, ?, ?, ?, ?)'),
      get: db.prepare<[string, string], ResourceRow>('select * from resources where type = ? and id = ?'),
      list: db.prepare<[string, string], ResourceRow>(
        'select * from resources where persona = ? and type = ? order by rowid',
      ),
      byIdentifier: db.prepare<[string, string, string, string], ResourceRow>(
        `select r.* from identifiers i join resources r on r.type = i.type and r.id = i.id
         where i.persona = ? and i.type = ? and i.system = ? and i.value = ? limit 1`,
      ),
      putBinary: db.prepare('insert or replace into binaries (id, persona, content_type, data) values (?, ?, ?, ?)'),
      getBinary: db.prepare<[string], BinaryRow>('select * from binaries where id = ?'),
      listBinaries: db.prepare<[string], BinaryRow>('select * from binaries where persona = ? order by rowid'),
      getPairing: db.prepare<[string], PairingRow>('select * from pairings where id = ?'),
      findPairing: db.prepare<[string, string], PairingRow>(
        'select * from pairings where persona = ? and client_id = ?',
      ),
      listPairings: db.prepare<[], PairingRow>('select * from pairings order by created_at'),
      savePairing: db.prepare(
        `insert or replace into pairings (id, persona, client_id, finalities, created_at, updated_at, approval)
         values (@id, @persona, @clientId, @finalities, @createdAt, @updatedAt, @approval)`,
      ),
      deletePairing: db.prepare('delete from pairings where id = ?'),
      getSetting: db.prepare<[string], { value: string }>('select value from settings where key = ?'),
      setSetting: db.prepare('insert or replace into settings (key, value) values (?, ?)'),
    };
  }

  transaction<T>(work: () => T): T {
    return this.db.transaction(work)();
  }

  put(entry: StoredResource): void {
    const { statements } = this;
    this.lists.delete(listKey(entry.persona, entry.type));
    this.transaction(() => {
      statements.upsert.run({ ...entry, json: JSON.stringify(entry.resource) });
      statements.dropIdentifiers.run(entry.type, entry.id);
      for (const { system, value } of identifiersOf(entry.resource)) {
        statements.addIdentifier.run(entry.type, entry.id, entry.persona, system, value);
      }
    });
  }

  get(type: string, id: string): StoredResource | undefined {
    const row = this.statements.get.get(type, id);
    return row && toResource(row);
  }

  /**
   * Everything of a type a persona holds, parsed once and kept until it changes: a search pages
   * through 10,000 documents without parsing them all again for each page. Frozen, since shared.
   */
  list(persona: string, type: string): StoredResource[] {
    const key = listKey(persona, type);
    let entries = this.lists.get(key);
    if (!entries) {
      entries = deepFreeze(this.statements.list.all(persona, type).map(toResource));
      this.lists.set(key, entries);
    }
    return [...entries];
  }

  findByIdentifier(persona: string, type: string, system: string, value: string): StoredResource | undefined {
    const row = this.statements.byIdentifier.get(persona, type, system, value);
    return row && toResource(row);
  }

  putBinary(binary: StoredBinary): void {
    this.statements.putBinary.run(binary.id, binary.persona, binary.contentType, Buffer.from(binary.data));
  }

  getBinary(id: string): StoredBinary | undefined {
    const row = this.statements.getBinary.get(id);
    return row && toBinary(row);
  }

  listBinaries(persona: string): StoredBinary[] {
    return this.statements.listBinaries.all(persona).map(toBinary);
  }

  getPairing(id: string): Pairing | undefined {
    const row = this.statements.getPairing.get(id);
    return row && toPairing(row);
  }

  findPairing(persona: string, clientId: string): Pairing | undefined {
    const row = this.statements.findPairing.get(persona, clientId);
    return row && toPairing(row);
  }

  listPairings(): Pairing[] {
    return this.statements.listPairings.all().map(toPairing);
  }

  savePairing(pairing: Pairing): void {
    const { approvedAt, registered, reapprovalRequired, ...rest } = pairing;
    this.statements.savePairing.run({
      ...rest,
      finalities: JSON.stringify(pairing.finalities),
      approval: JSON.stringify({ approvedAt, registered, reapprovalRequired }),
    });
  }

  deletePairing(id: string): void {
    this.statements.deletePairing.run(id);
  }

  getSetting(key: string): string | undefined {
    return this.statements.getSetting.get(key)?.value;
  }

  setSetting(key: string, value: string): void {
    this.statements.setSetting.run(key, value);
  }

  clear(): void {
    this.lists.clear();
    this.db.exec('delete from resources; delete from identifiers; delete from binaries; delete from pairings;');
  }

  close(): void {
    this.db.close();
  }
}
