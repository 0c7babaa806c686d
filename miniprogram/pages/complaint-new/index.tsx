import IntakeForm from './IntakeForm';

export default function ComplaintNew() {
  return <IntakeForm kind="complaint" />;
}
