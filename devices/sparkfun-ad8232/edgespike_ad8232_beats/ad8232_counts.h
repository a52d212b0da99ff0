/*
 * ad8232_counts.h: a 10-bit ADC value of the AD8232 sketch -> the ECG pipeline's counts of 5 uV,
 * in integer arithmetic, equal to what the host computes for the profile sparkfun-ad8232.
 *
 * The host (src/formats/devices/deviceStream.ts with the profile's zeroCounts 337.92 and
 * countsPerUnit 225.28 counts per mV) computes, in binary64,
 *     counts = Math.round((raw - 337.92) * (200 / 225.28))
 * The exact value is x = (100 raw - 33792) * 25 / 2816. Over raw = 0..1023 it is a tie (n + 1/2)
 * only at raw = 352 (x = 12.5), where the binary64 product is 12.4999999999999 and rounds to 12:
 * so the host's rule on this domain is "round half down", which in integers is
 *     counts = floor(((100 raw - 33792) * 50 + 2815) / 5632)          (5632 = 2 * 2816)
 * tests/devices/ad8232Counts.test.ts checks all 1024 values against the host's decoder.
 * C division truncates toward zero, so the numerator is shifted by 300 * 5632 to keep it
 * positive (the smallest numerator, raw = 0, is -1 686 785) and 300 taken off afterwards.
 * Range: raw 0 -> -300 counts, raw 1023 -> 608 counts. Cost on an AVR: one 32-bit multiply and
 * one 32-bit division by a constant (a few hundred cycles).
 */
#ifndef AD8232_COUNTS_H
#define AD8232_COUNTS_H

#include <stdint.h>

static inline int32_t ad8232_adc_to_counts(uint16_t raw) {
  const int32_t numerator = ((int32_t)raw * INT32_C(100) - INT32_C(33792)) * INT32_C(50) + INT32_C(2815) + INT32_C(300) * INT32_C(5632);
  return numerator / INT32_C(5632) - INT32_C(300);
}

#endif
