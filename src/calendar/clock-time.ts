/** Minutes after local midnight of an `HH:mm` clock time (`24:00` = 1440, the end of the day). */
export function clockTimeToMinutes(clockTime: string): number {
  const [hours, minutes] = clockTime.split(':').map(Number);
  return hours * 60 + minutes;
}
