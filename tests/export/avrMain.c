/* The exported ECG C on an ATmega328P (16 MHz, 16-bit int), run in simavr by
 * tests/export/ecgCAvr.test.ts: the samples come from flash (samples.h, written by the test),
 * the beats and counts go out on UART0, and Timer 1 (no prescaler: one count per CPU cycle)
 * times each call. The simulation ends when the CPU sleeps with interrupts off.
 */
#include <avr/interrupt.h>
#include <avr/io.h>
#include <avr/pgmspace.h>
#include <avr/sleep.h>
#include <stdio.h>

#include "edgespike_ecg.c"
#include "samples.h"

static int uart_putchar(char c, FILE *stream) {
  (void)stream;
  loop_until_bit_is_set(UCSR0A, UDRE0);
  UDR0 = c;
  return 0;
}

static FILE uart = FDEV_SETUP_STREAM(uart_putchar, NULL, _FDEV_SETUP_WRITE);
static edgespike_ecg_t detector;

int main(void) {
  uint32_t beats[EDGESPIKE_ECG_MAX_BEATS];
  uint32_t cycles = 0;
  uint16_t i, start, spent, most = 0;
  uint8_t n, j;
  UCSR0B = _BV(TXEN0);
  stdout = &uart;
  TCCR1A = 0;
  TCCR1B = _BV(CS10);
  edgespike_ecg_init(&detector);
  for (i = 0; i <= SAMPLE_COUNT; i++) {
    start = TCNT1;
    if (i < SAMPLE_COUNT) n = edgespike_ecg_process_sample(&detector, (int16_t)pgm_read_word(&samples[i]), beats);
    else n = edgespike_ecg_flush(&detector, beats);
    spent = (uint16_t)(TCNT1 - start);
    cycles += spent;
    if (spent > most) most = spent;
    for (j = 0; j < n; j++) printf("beat %lu\n", (unsigned long)beats[j]);
  }
  printf("spikes %lu %lu\n", (unsigned long)edgespike_ecg_input_spikes(&detector), (unsigned long)edgespike_ecg_neuron_spikes(&detector));
  printf("cycles %lu %u\n", (unsigned long)cycles, most);
  printf("sizeof %u\n", (unsigned)sizeof detector);
  cli();
  sleep_enable();
  sleep_cpu();
  return 0;
}
