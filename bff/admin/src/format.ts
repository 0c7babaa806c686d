import dayjs from 'dayjs';
import utc from 'dayjs/plugin/utc';
import timezone from 'dayjs/plugin/timezone';

dayjs.extend(utc);
dayjs.extend(timezone);

/** Times show in Beijing time whatever the browser's zone, as the legal deadlines are counted there. */
export const formatTime = (at: string): string => dayjs(at).tz('Asia/Shanghai').format('YYYY-MM-DD HH:mm');
