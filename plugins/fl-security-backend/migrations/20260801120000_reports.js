/*
 * Compliance reports, one row per scan of one catalog entity. The backend
 * keeps the newest `flSecurity.historyLimit` rows per entity.
 */

// @ts-check

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('fl_security_reports', table => {
    table.comment('FL security compliance reports per catalog entity');
    table.bigIncrements('id').primary();
    table
      .string('entity_ref', 255)
      .notNullable()
      .comment('Catalog entity ref, lower case: kind:namespace/name');
    table.string('federation', 255).notNullable();
    table
      .string('generated_at', 32)
      .notNullable()
      .comment('ISO 8601 UTC timestamp of the report');
    table.string('overall', 16).notNullable();
    table.text('summary').notNullable().comment('JSON StatusSummary');
    table.integer('error_count').notNullable();
    table
      .text('soonest_expiry')
      .nullable()
      .comment('JSON SoonestExpiry of the certificate closest to expiry');
    table
      .text('report', 'longtext')
      .notNullable()
      .comment('JSON ComplianceReport (certificate metadata only)');
    table.index(['entity_ref', 'id'], 'fl_security_reports_entity_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('fl_security_reports');
};
