import IntakeForm from '../complaint-new/IntakeForm';
import './index.scss';

export default function ReportNew() {
  return <IntakeForm kind="report" />;
}
