/*
 * A minimal stand-in for the Arduino core, for building the AD8232 sketches with plain avr-gcc
 * and running them in the simavr simulator (see ../README.md and ad8232_sim.c). Only what the
 * sketches use: pinMode/digitalRead for D10 and D11, interrupts()/noInterrupts(), and a
 * Serial with an interrupt-driven 64-byte transmit ring, as the core's HardwareSerial has (its
 * 64-byte receive ring is here too, unused, so the RAM measured is the core's).
 * Not the core: no init() (Timer0's millis interrupt does not run; on a board it costs about
 * 70 cycles every 1.024 ms, 200 per sample period at 360 Hz, and 9 bytes of RAM).
 *
 * It also defines EDGESPIKE_SIM_MARK_BEGIN/END: writes of 1 and 0 to GPIOR0 around the
 * detector's call, which the simulator watches to count the detector's cycles.
 */
#ifndef EDGESPIKE_SIM_ARDUINO_H
#define EDGESPIKE_SIM_ARDUINO_H

#include <avr/interrupt.h>
#include <avr/io.h>
#include <stdint.h>

#define HIGH 1
#define LOW 0
#define INPUT 0

#define EDGESPIKE_SIM_MARK_BEGIN() (GPIOR0 = 1)
#define EDGESPIKE_SIM_MARK_END() (GPIOR0 = 0)

static inline void pinMode(uint8_t, uint8_t) {}  // D10, D11 are inputs after reset already

/** D10 = PB2, D11 = PB3 (the only pins the sketches read). */
static inline uint8_t digitalRead(uint8_t pin) {
  return pin == 10 ? (PINB >> 2) & 1 : pin == 11 ? (PINB >> 3) & 1 : 0;
}

#define interrupts() sei()
#define noInterrupts() cli()

class SimSerial {
 public:
  void begin(uint32_t baud);
  void write(uint8_t byte);
  void print(const char *text);
  void print(char c) { write((uint8_t)c); }
  void print(uint32_t value);
  void print(uint16_t value) { print((uint32_t)value); }
  template <typename T> void println(T value) {
    print(value);
    write('\r');
    write('\n');
  }
};

extern SimSerial Serial;

void setup();
void loop();

#endif
