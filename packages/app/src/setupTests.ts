import '@testing-library/jest-dom';
import { configure } from '@testing-library/react';

// Rendering the whole app is slow on a busy 2-core machine (waits, not goals).
configure({ asyncUtilTimeout: 15_000 });
jest.setTimeout(60_000);
