/** Who is signed in, shared by the layout, the login page and the route guard. */
import { createContext, useContext } from 'react';
import type { Staff } from './api';

export interface Auth {
  /** undefined while the session is still being checked, null when signed out. */
  staff: Staff | null | undefined;
  setStaff: (staff: Staff | null) => void;
}

export const AuthContext = createContext<Auth | null>(null);

export function useAuth(): Auth {
  const auth = useContext(AuthContext);
  if (!auth) throw new Error('useAuth outside AuthContext');
  return auth;
}
