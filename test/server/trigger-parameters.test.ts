import { describe, expect, it } from 'vitest';
import { expandTriggerParameters } from '../../engine/server/trigger-parameters.ts';

describe('expandTriggerParameters', () => {
  const event = { EVENT_FILE_PATH: '/srv/outbox/a.csv', EVENT_FILE_NAME: 'a.csv', EVENT_FILE_PATH_UNUSED: undefined };

  it('adds the event parameters and expands references to them (SPEC §9 example)', () => {
    expect(expandTriggerParameters({ LOCAL_FILE: '${EVENT_FILE_PATH}', REMOTE_PATH: '/outbox/${EVENT_FILE_NAME}', LIMIT: 5 }, event)).toEqual({
      EVENT_FILE_PATH: '/srv/outbox/a.csv',
      EVENT_FILE_NAME: 'a.csv',
      LOCAL_FILE: '/srv/outbox/a.csv',
      REMOTE_PATH: '/outbox/a.csv',
      LIMIT: 5,
    });
  });

  it('leaves other references and escapes for the engine', () => {
    expect(expandTriggerParameters({ X: '${OUT_DIR}/${EVENT_FILE_NAME}', Y: 'cost $${PRICE}', Z: 'plain $ text' }, event)).toMatchObject({
      X: '${OUT_DIR}/a.csv',
      Y: 'cost $${PRICE}',
      Z: 'plain $ text',
    });
  });

  it('lets a configured parameter override an event parameter of the same name', () => {
    expect(expandTriggerParameters({ EVENT_FILE_NAME: 'fixed.csv' }, event).EVENT_FILE_NAME).toBe('fixed.csv');
  });
});
