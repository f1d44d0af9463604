package io.chorus.state.system;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * Deadlines in working days, as the rules of data sharing count them: Monday to Friday in
 * China's time (UTC+8, no daylight saving), from the block time. The day of the event does not
 * count (期间开始之日不计算在内): a period of n working days ends at midnight after the n-th
 * working day following it. Public holidays and the weekend days worked in their place (调休)
 * are not modelled; docs/sharing.md says so.
 */
final class WorkingDays {
  /** China Standard Time. */
  static final ZoneOffset CHINA = ZoneOffset.ofHours(8);
  /** The longest period the rules use (a provider's 5 days extended by 5). */
  static final int DAYS_MAX = 10;

  private WorkingDays() {}

  /**
   * The end of a period of {@code days} working days that starts at {@code time} (seconds
   * since the epoch): the first second after it, in seconds since the epoch.
   */
  static long deadline(long time, int days) {
    if (days < 1 || days > DAYS_MAX) {
      throw new IllegalArgumentException("a period is 1 to " + DAYS_MAX + " working days, got "
          + days);
    }
    LocalDate day = LocalDate.ofEpochDay(Math.floorDiv(time + CHINA.getTotalSeconds(), 86_400));
    int counted = 0;
    while (counted < days) {
      day = day.plusDays(1);
      if (isWorkingDay(day)) {
        counted++;
      }
    }
    return day.plusDays(1).toEpochSecond(java.time.LocalTime.MIDNIGHT, CHINA);
  }

  static boolean isWorkingDay(LocalDate day) {
    DayOfWeek weekday = day.getDayOfWeek();
    return weekday != DayOfWeek.SATURDAY && weekday != DayOfWeek.SUNDAY;
  }
}
