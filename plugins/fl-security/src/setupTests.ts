import '@testing-library/jest-dom';
import { configure } from '@testing-library/react';

// The Backstage test app renders a whole page per test; on a busy 2-core CI
// machine that can exceed the defaults. These are waits, not timing goals.
configure({ asyncUtilTimeout: 15_000 });
jest.setTimeout(60_000);
