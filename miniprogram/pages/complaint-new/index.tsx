import IntakeForm from './IntakeForm';
// Imported by the page, not the shared form, so each page gets its own stylesheet.
import './index.scss';

export default function ComplaintNew() {
  return <IntakeForm kind="complaint" />;
}
