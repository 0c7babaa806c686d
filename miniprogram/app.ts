import type { PropsWithChildren } from 'react';
import { useLaunch } from '@tarojs/taro';
import { ensureSession } from './services/session';
import './app.scss';

function App({ children }: PropsWithChildren) {
  // Signing in early means the first page rarely waits; pages still await the same session.
  useLaunch(() => {
    ensureSession().catch(() => undefined);
  });
  return children;
}

export default App;
