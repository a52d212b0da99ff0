/*
 * edgespike_ad8232_beats: SparkFun AD8232 heart rate monitor -> edgespike, with the beat
 * detector running on the Arduino itself.
 *
 * The same board, wiring, sampling and sample lines as edgespike_ad8232.ino (read its header
 * first): Timer1 interrupts at 360.0036 Hz, the interrupt takes the ADC value (or the leads-off
 * mark) into a ring buffer, and loop() prints one line per sample, ending in CR LF:
 *   a decimal ADC value 0..1023, or "!" while LO+ or LO- is high.
 * In addition, loop() feeds every sample to edgespike's ECG detector, exported to C by
 * `edgespike export-c` (see "The detector" below), and prints one more line for each beat it finds:
 *   "B <sample index>"   e.g. "B 1234": the beat's sample, counted from 0 at the first sample
 *                        line since the board started (leads-off lines count: each is a sample).
 * A beat is decided some time after its sample (the detector looks ahead), so its B line comes
 * after that sample's line; B lines come in increasing order. The profile sparkfun-ad8232-beats
 * reads both kinds of line: `edgespike run --profile sparkfun-ad8232-beats` reports the board's
 * beats beside its own and how many agree.
 *
 * Counts: each ADC value becomes counts of 5 uV exactly as the host converts it for the
 * profile sparkfun-ad8232 (ad8232_counts.h). A leads-off sample feeds the detector the last
 * valid value again, as the host does when it fills the leads-off time (a flat line: no spikes,
 * no beats). The detector runs in loop(), not in the interrupt, so sampling stays exact; the
 * 32-sample ring (89 ms) absorbs a slow sample.
 *
 * The detector: edgespike_ecg/edgespike_ecg.c and .h as `edgespike export-c --network
 * src/snn/networks/ecg-beat.json` (the single-band network) wrote them (a test checks they are
 * what it writes now), compiled through edgespike_ecg_unprimed.c with
 * EDGESPIKE_ECG_PRIME 0 (edgespike_ecg_config.h): its delta modulator starts from the running
 * peak instead of holding the first second (360 samples) to take its level from: 722 bytes
 * less, so the sketch stays under 1 KB of the ATmega328P's 2 KB of RAM. The host's `run` pipeline
 * primes, so the first beats of a session may differ a little between board and host; after
 * that they agree. RAM and cycles measured in the simavr simulator: see the README.
 *
 * Board:   Arduino Uno or Nano (ATmega328P, 16 MHz, 5 V), Arduino AVR Boards core 1.8.x.
 */

#include <Arduino.h>
#include <avr/sleep.h>

#include "edgespike_ecg_config.h"
extern "C" {  // the detector is C, the sketch C++
#include "edgespike_ecg/edgespike_ecg.h"
}
#include "ad8232_counts.h"

// In the simavr build (devices/sparkfun-ad8232/simavr) these mark the detector's call so the
// simulator can count its cycles; on a board they are nothing.
#ifndef EDGESPIKE_SIM_MARK_BEGIN
#define EDGESPIKE_SIM_MARK_BEGIN()
#define EDGESPIKE_SIM_MARK_END()
#endif

// ---- Configuration (as in edgespike_ad8232.ino) ---------------------------------------

const uint32_t SERIAL_BAUD = 115200;
const uint8_t PIN_LEADS_OFF_PLUS = 10;   // AD8232 LO+: high when the +IN electrode is off
const uint8_t PIN_LEADS_OFF_MINUS = 11;  // AD8232 LO-: high when the -IN electrode is off
const uint8_t ECG_ADC_CHANNEL = 0;       // A0

const uint32_t SAMPLE_RATE_HZ = 360;
const uint32_t TIMER1_COMPARE = (F_CPU + SAMPLE_RATE_HZ / 2) / SAMPLE_RATE_HZ - 1;
static_assert(TIMER1_COMPARE >= 1000 && TIMER1_COMPARE <= 65535,
              "SAMPLE_RATE_HZ out of range for Timer1 without a prescaler at this F_CPU");
static_assert(SAMPLE_RATE_HZ == EDGESPIKE_ECG_RATE_HZ, "the exported detector expects another sample rate");

// ADC reference: 0 = AVcc (the profile sparkfun-ad8232's scale, which the detector's counts
// assume). Keep 0 here: ad8232_counts.h converts with the 5 V scale.
#define USE_EXTERNAL_AREF 0

// ---- Ring buffer between the timer interrupt and loop() --------------------------------

const uint16_t LEADS_OFF_MARK = 0xFFFF;  // never an ADC value (those are 0..1023)
// A power of two; 32 samples = 89 ms of slack, far more than the longest pass of loop() (a few
// ms with a beat's lines), and 64 bytes less than the plain sketch's 64 (RAM: see the README).
const uint8_t RING_SIZE = 32;
volatile uint16_t ring[RING_SIZE];
volatile uint8_t ringHead = 0;           // next slot to fill; written only by the interrupt
volatile uint8_t ringTail = 0;           // next slot to print; written only by loop()
volatile bool conversionStarted = false; // false until the first tick has started one

// ---- The detector ------------------------------------------------------------------------

edgespike_ecg_t detector;
uint32_t beats[EDGESPIKE_ECG_MAX_BEATS];
int32_t lastCounts = 0;  // the last valid sample, fed again while the leads are off

ISR(TIMER1_COMPA_vect) {
  if (!conversionStarted || (ADCSRA & _BV(ADSC))) {
    if (!(ADCSRA & _BV(ADSC))) ADCSRA |= _BV(ADSC);
    conversionStarted = true;
    return;
  }
  const uint16_t value = ADC;  // the conversion started one tick ago
  ADCSRA |= _BV(ADSC);         // sample-and-hold for the next tick starts now

  const bool leadsOff = digitalRead(PIN_LEADS_OFF_PLUS) == HIGH || digitalRead(PIN_LEADS_OFF_MINUS) == HIGH;
  const uint8_t next = (ringHead + 1) & (RING_SIZE - 1);
  if (next == ringTail) return;  // ring full (loop() stalled > 89 ms): drop, never wait
  ring[ringHead] = leadsOff ? LEADS_OFF_MARK : value;
  ringHead = next;
}

void setup() {
  pinMode(PIN_LEADS_OFF_PLUS, INPUT);
  pinMode(PIN_LEADS_OFF_MINUS, INPUT);
  Serial.begin(SERIAL_BAUD);
  edgespike_ecg_init(&detector);

#if USE_EXTERNAL_AREF
  ADMUX = (ECG_ADC_CHANNEL & 0x0F);
#else
  ADMUX = _BV(REFS0) | (ECG_ADC_CHANNEL & 0x0F);
#endif
  ADCSRB = 0;
  ADCSRA = _BV(ADEN) | _BV(ADPS2) | _BV(ADPS1) | _BV(ADPS0);
  DIDR0 = _BV(ECG_ADC_CHANNEL);

  noInterrupts();
  TCCR1A = 0;
  TCCR1B = _BV(WGM12) | _BV(CS10);
  TCNT1 = 0;
  OCR1A = (uint16_t)TIMER1_COMPARE;
  TIFR1 = _BV(OCF1A);
  TIMSK1 = _BV(OCIE1A);
  interrupts();
  set_sleep_mode(SLEEP_MODE_IDLE);  // idle keeps the timers, the ADC and the UART running
}

void loop() {
  while (ringTail != ringHead) {
    const uint16_t value = ring[ringTail];
    ringTail = (ringTail + 1) & (RING_SIZE - 1);
    if (value == LEADS_OFF_MARK) {
      Serial.println('!');
    } else {
      Serial.println(value);
      lastCounts = ad8232_adc_to_counts(value);
    }
    EDGESPIKE_SIM_MARK_BEGIN();
    const uint8_t found = edgespike_ecg_process_sample(&detector, lastCounts, beats);
    EDGESPIKE_SIM_MARK_END();
    for (uint8_t i = 0; i < found; i++) {
      Serial.print("B ");
      Serial.println(beats[i]);
    }
  }
  // Nothing queued: sleep until the next interrupt (the timer's, or the UART's). Checking and
  // sleeping with interrupts off, then `sei` just before `sleep`, cannot miss a sample: the
  // instruction after `sei` always runs before a pending interrupt.
  noInterrupts();
  if (ringTail == ringHead) {
    sleep_enable();
    interrupts();
    sleep_cpu();
    sleep_disable();
  }
  interrupts();
}
