/** Path of the entity tab, relative to the entity page. */
export const ENTITY_CONTENT_PATH = 'fl-security';
/** Path of the fleet page. */
export const FLEET_PAGE_PATH = '/fl-security';
