/*
 * edgespike_ad8232: SparkFun AD8232 heart rate monitor -> edgespike, over USB serial.
 *
 * Board:   Arduino Uno or Nano (ATmega328P, 16 MHz, 5 V), Arduino AVR Boards core 1.8.x.
 *          (An 8 MHz 3.3 V board such as an Arduino Pro Mini 3.3 V also works: the timer
 *          setting below follows F_CPU.)
 * Wiring:  (the same as SparkFun's hookup guide, so their example and this sketch are
 *          interchangeable)
 *            AD8232 GND    -> GND          AD8232 3.3V -> 3.3V
 *            AD8232 OUTPUT -> A0           AD8232 LO+  -> D10      AD8232 LO- -> D11
 *            AD8232 SDN    -> not connected (the board pulls it up: always on)
 *
 * Output:  115200 baud, 8N1. One line per sample, 360 lines a second, each either
 *            a decimal ADC value 0..1023, or
 *            "!" while LO+ or LO- is high (an electrode is off),
 *          ending in CR LF. Nothing else is ever printed (no banner), so every line is data.
 *          This is the line format of SparkFun's example sketch, at a fixed rate.
 *
 * Timing:  Timer1 in CTC mode interrupts at
 *            f = 16 MHz / (prescaler x (1 + OCR1A)) = 16 000 000 / (1 x 44 444) = 360.0036 Hz
 *          (OCR1A = round(16e6 / 360) - 1 = 44443; error +0.001 %, far below the tolerance of
 *          the board's clock). At each tick the interrupt takes the result of the conversion
 *          it started on the previous tick (a conversion takes 13 ADC clocks at 125 kHz =
 *          104 us, the ticks are 2.78 ms apart, so it is long finished), starts the next
 *          conversion, and puts the value into a ring buffer. loop() prints from the ring.
 *          The interrupt never waits for anything: the sampling instant is set by the timer,
 *          not by how long printing takes. (Values come out one tick after they were sampled;
 *          the delay is constant, so the rate is exact.)
 *
 * Note:    Timer1 is taken over, so analogWrite() on pins 9 and 10 does not work with this
 *          sketch (pin 10 is an input here anyway).
 */

#include <Arduino.h>

// ---- Configuration -------------------------------------------------------------------

const uint32_t SERIAL_BAUD = 115200;
const uint8_t PIN_LEADS_OFF_PLUS = 10;   // AD8232 LO+: high when the +IN electrode is off
const uint8_t PIN_LEADS_OFF_MINUS = 11;  // AD8232 LO-: high when the -IN electrode is off
const uint8_t ECG_ADC_CHANNEL = 0;       // A0

// Samples per second, and the Timer1 compare value that gives it: the clocks per tick rounded
// to the nearest integer, minus 1 (CTC counts 0..OCR1A). At 16 MHz: 16e6 / 360 = 44444.4 ->
// 44444 - 1 = 44443, and 16e6 / 44444 = 360.0036 Hz. At 8 MHz: 22221, 360.0036 Hz.
const uint32_t SAMPLE_RATE_HZ = 360;
const uint32_t TIMER1_COMPARE = (F_CPU + SAMPLE_RATE_HZ / 2) / SAMPLE_RATE_HZ - 1;
static_assert(TIMER1_COMPARE >= 1000 && TIMER1_COMPARE <= 65535,
              "SAMPLE_RATE_HZ out of range for Timer1 without a prescaler at this F_CPU");

// ADC reference. 0: AVcc, the 5 V rail (SparkFun's wiring; the profile sparkfun-ad8232
// assumes this). 1: the AREF pin: wire AREF to the 3.3 V pin first. A 3.3 V reference uses the
// whole 0..1023 range for the AD8232's 0..3.3 V output (512 = the 1.65 V centre, 341.3 counts
// per mV at the electrodes) but needs a profile with those numbers (see the README).
// Never select AVcc (0) while AREF is wired to 3.3 V: that shorts 5 V to 3.3 V inside the chip.
#define USE_EXTERNAL_AREF 0

// ---- Ring buffer between the timer interrupt and loop() --------------------------------

const uint16_t LEADS_OFF_MARK = 0xFFFF;  // never an ADC value (those are 0..1023)
const uint8_t RING_SIZE = 64;            // a power of two; 64 samples = 178 ms of slack
volatile uint16_t ring[RING_SIZE];
volatile uint8_t ringHead = 0;           // next slot to fill; written only by the interrupt
volatile uint8_t ringTail = 0;           // next slot to print; written only by loop()
volatile bool conversionStarted = false; // false until the first tick has started one

ISR(TIMER1_COMPA_vect) {
  if (!conversionStarted || (ADCSRA & _BV(ADSC))) {
    // First tick (nothing converted yet), or (impossible at 360 Hz) still converting:
    // start a conversion if none is running and skip this tick rather than wait.
    if (!(ADCSRA & _BV(ADSC))) ADCSRA |= _BV(ADSC);
    conversionStarted = true;
    return;
  }
  const uint16_t value = ADC;  // the conversion started one tick ago
  ADCSRA |= _BV(ADSC);         // sample-and-hold for the next tick starts now

  const bool leadsOff = digitalRead(PIN_LEADS_OFF_PLUS) == HIGH || digitalRead(PIN_LEADS_OFF_MINUS) == HIGH;
  const uint8_t next = (ringHead + 1) & (RING_SIZE - 1);
  if (next == ringTail) return;  // ring full (loop() stalled > 178 ms): drop, never wait
  ring[ringHead] = leadsOff ? LEADS_OFF_MARK : value;
  ringHead = next;
}

void setup() {
  pinMode(PIN_LEADS_OFF_PLUS, INPUT);
  pinMode(PIN_LEADS_OFF_MINUS, INPUT);
  Serial.begin(SERIAL_BAUD);

  // ADC, programmed directly so that the interrupt can start a conversion and come back
  // later instead of waiting inside analogRead(). Result right-adjusted (0..1023).
#if USE_EXTERNAL_AREF
  ADMUX = (ECG_ADC_CHANNEL & 0x0F);               // REFS1:0 = 00: reference = AREF pin
#else
  ADMUX = _BV(REFS0) | (ECG_ADC_CHANNEL & 0x0F);  // REFS1:0 = 01: reference = AVcc
#endif
  ADCSRB = 0;                                                  // no auto-trigger source
  ADCSRA = _BV(ADEN) | _BV(ADPS2) | _BV(ADPS1) | _BV(ADPS0);   // enable, clock F_CPU / 128:
                                                               // 125 kHz at 16 MHz (62.5 at 8)
  DIDR0 = _BV(ECG_ADC_CHANNEL);  // A0's digital input buffer off: less noise on the analog pin

  // Timer1: CTC mode (WGM13:0 = 0100, TOP = OCR1A), clock = 16 MHz / 1 (CS12:0 = 001),
  // interrupt on compare match A.
  noInterrupts();
  TCCR1A = 0;
  TCCR1B = _BV(WGM12) | _BV(CS10);
  TCNT1 = 0;
  OCR1A = (uint16_t)TIMER1_COMPARE;
  TIFR1 = _BV(OCF1A);   // clear a stale match flag (written 1 clears it)
  TIMSK1 = _BV(OCIE1A);
  interrupts();
}

void loop() {
  // Print everything the interrupt has queued. Serial.println() may wait for room in the
  // 64-byte transmit buffer; that is fine here: at 115200 baud a line takes at most 0.5 ms
  // to send and one arrives every 2.78 ms (at most 6 bytes of 11 520 a second: 19 % busy).
  while (ringTail != ringHead) {
    const uint16_t value = ring[ringTail];
    ringTail = (ringTail + 1) & (RING_SIZE - 1);
    if (value == LEADS_OFF_MARK) {
      Serial.println('!');
    } else {
      Serial.println(value);
    }
  }
}
