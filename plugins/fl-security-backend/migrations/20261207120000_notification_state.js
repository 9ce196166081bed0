/*
 * What each entity's owner was last notified of (federation verdict,
 * certificate expiry levels), so a notification goes out once per
 * transition, never per scan. `version` makes the claim of a transition
 * a compare-and-set across backend replicas.
 */

// @ts-check

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('fl_security_notification_state', table => {
    table.comment('Last notified FL security state per catalog entity');
    table
      .string('entity_ref', 255)
      .primary()
      .comment('Catalog entity ref, lower case: kind:namespace/name');
    table.text('state').notNullable().comment('JSON NotifiedState');
    table.integer('version').notNullable();
    table
      .string('updated_at', 32)
      .notNullable()
      .comment('ISO 8601 UTC timestamp of the last change');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('fl_security_notification_state');
};
