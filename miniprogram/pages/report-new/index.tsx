import IntakeForm from '../complaint-new/IntakeForm';

export default function ReportNew() {
  return <IntakeForm kind="report" />;
}
