import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { Knex } from 'knex';
import type { NotifiedState } from './transitions';

const TABLE = 'fl_security_notification_state';

const migrationsDir = resolvePackagePath(
  '@fl-security/plugin-fl-security-backend',
  'migrations',
);

interface StateRow {
  entity_ref: string;
  state: string;
  version: number | string;
}

export interface StoredState {
  state: NotifiedState;
  version: number;
}

/** Entity refs are case-insensitive: one row per entity. */
const key = (entityRef: string) => entityRef.toLocaleLowerCase('en-US');

/**
 * The last notified state per entity, in the plugin database. Changes are
 * compare-and-set on `version`: of two replicas that saw the same
 * transition, one claims it (and notifies), the other does nothing.
 */
export class NotificationStateStore {
  static async create(
    database: DatabaseService,
  ): Promise<NotificationStateStore> {
    const client = await database.getClient();
    if (!database.migrations?.skip) {
      await client.migrate.latest({ directory: migrationsDir });
    }
    return new NotificationStateStore(client);
  }

  constructor(
    private readonly db: Knex,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async get(entityRef: string): Promise<StoredState | undefined> {
    const row = await this.db<StateRow>(TABLE)
      .where({ entity_ref: key(entityRef) })
      .first();
    if (!row) return undefined;
    return {
      state: JSON.parse(row.state) as NotifiedState,
      version: Number(row.version),
    };
  }

  /**
   * Records the first state of an entity; false when another replica
   * already did (its baseline stands).
   */
  async createBaseline(
    entityRef: string,
    state: NotifiedState,
  ): Promise<boolean> {
    const inserted = await this.db(TABLE)
      .insert({
        entity_ref: key(entityRef),
        state: JSON.stringify(state),
        version: 1,
        updated_at: this.now().toISOString(),
      })
      .onConflict('entity_ref')
      .ignore()
      .returning('entity_ref');
    return inserted.length === 1;
  }

  /**
   * Replaces the state seen at `version`; false when it changed since
   * (someone else claimed the transition). Resolves with the new version.
   */
  async replace(
    entityRef: string,
    version: number,
    state: NotifiedState,
  ): Promise<number | undefined> {
    const updated = await this.db(TABLE)
      .where({ entity_ref: key(entityRef), version })
      .update({
        state: JSON.stringify(state),
        version: version + 1,
        updated_at: this.now().toISOString(),
      });
    return updated === 1 ? version + 1 : undefined;
  }
}
