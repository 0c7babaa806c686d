import { lazy, Suspense, useEffect, useMemo, useState, type ReactNode } from 'react';
import { Navigate, Route, Routes, useLocation } from 'react-router';
import { Spin } from 'antd';
import { api, setUnauthorizedHandler, type Staff } from './api';
import { AuthContext } from './auth';
import { AdminLayout } from './components/AdminLayout';
import Login from './pages/Login';
import Queue from './pages/Queue';
import CaseDetail from './pages/CaseDetail';
import StaffPage from './pages/Staff';
import Audit from './pages/Audit';
import DeadLetters from './pages/DeadLetters';

// Charts are a large download: only the dashboard loads them.
const Dashboard = lazy(() => import('./pages/Dashboard'));

function RequireAuth({ staff, children }: { staff: Staff | null | undefined; children: ReactNode }) {
  const location = useLocation();
  if (staff === undefined) {
    return <Spin size="large" fullscreen description="正在加载…" />;
  }
  if (staff === null) return <Navigate to="/login" replace state={{ from: location }} />;
  return children;
}

export default function App() {
  const [staff, setStaff] = useState<Staff | null | undefined>(undefined);
  const auth = useMemo(() => ({ staff, setStaff }), [staff]);

  useEffect(() => {
    // Any 401 signs the page out; the route guard then shows the login page.
    setUnauthorizedHandler(() => setStaff(null));
    api.me().then(setStaff, () => setStaff(null));
  }, []);

  return (
    <AuthContext.Provider value={auth}>
      <Routes>
        <Route path="/login" element={<Login />} />
        <Route
          element={
            <RequireAuth staff={staff}>
              <AdminLayout />
            </RequireAuth>
          }
        >
          <Route path="/cases" element={<Queue />} />
          <Route path="/cases/:number" element={<CaseDetail />} />
          <Route path="/staff" element={<StaffPage />} />
          <Route path="/audit" element={<Audit />} />
          <Route path="/deliveries" element={<DeadLetters />} />
          <Route
            path="/insight"
            element={
              <Suspense fallback={<Spin size="large" />}>
                <Dashboard />
              </Suspense>
            }
          />
        </Route>
        <Route path="*" element={<Navigate to="/cases" replace />} />
      </Routes>
    </AuthContext.Provider>
  );
}
