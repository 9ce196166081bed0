/*
 * Jest configuration of the entity-tab bench only (bench/run.mjs runs it):
 * the Backstage frontend test setup (jsdom, SWC transforms) pointed at
 * bench/entity-tab/*.bench.tsx. It is not a workspace package, so
 * `backstage-cli repo test` (make test) never picks it up.
 */
const path = require('node:path');

const cliJest = path.dirname(
  require.resolve('@backstage/cli-module-test-jest/package.json'),
);
const { getJestEnvironment } = require(path.join(
  cliJest,
  'config/getJestEnvironment',
));
const swc = path.join(cliJest, 'config/jestSwcTransform');

const tsx = {
  jsc: {
    parser: { syntax: 'typescript', tsx: true },
    transform: { react: { runtime: 'automatic' } },
  },
};

module.exports = {
  rootDir: path.resolve(__dirname, '../..'),
  roots: ['<rootDir>/bench/entity-tab'],
  testMatch: ['**/*.bench.tsx'],
  testEnvironment: getJestEnvironment(),
  transform: {
    '\\.(mjs|cjs|js)$': [swc, { jsc: { parser: { syntax: 'ecmascript' } } }],
    '\\.ts$': [swc, { jsc: { parser: { syntax: 'typescript' } } }],
    '\\.tsx$': [swc, tsx],
    '\\.(bmp|gif|jpg|jpeg|png|ico|webp|svg|eot|woff|woff2|ttf)$': path.join(
      cliJest,
      'config/jestFileTransform.js',
    ),
  },
  transformIgnorePatterns: [
    '/node_modules/(?:@material-ui|ajv|core-js|jest-.*|jsdom|knex|react|react-dom|highlight\\.js|prismjs|json-schema|react-use/lib|typescript)/',
  ],
  moduleNameMapper: {
    '\\.(css|less|scss|sss|styl)$': require.resolve('jest-css-modules'),
  },
  setupFilesAfterEnv: ['@testing-library/jest-dom'],
};
