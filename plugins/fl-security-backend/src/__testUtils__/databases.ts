import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';

const POSTGRES_IDS: TestDatabaseId[] = [
  'POSTGRES_18',
  'POSTGRES_17',
  'POSTGRES_16',
  'POSTGRES_15',
  'POSTGRES_14',
  'POSTGRES_13',
];

/**
 * SQLite always; PostgreSQL when its connection string is set, e.g.
 * BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING=postgresql://u:p@127.0.0.1:5432
 * (TestDatabases' own variables; never a container).
 */
export function createTestDatabases(): TestDatabases {
  const ids = POSTGRES_IDS.filter(
    id =>
      process.env[
        `BACKSTAGE_TEST_DATABASE_${id.replace('_', '')}_CONNECTION_STRING`
      ],
  );
  return TestDatabases.create({
    ids: ['SQLITE_3', ...ids],
    disableDocker: true,
  });
}
