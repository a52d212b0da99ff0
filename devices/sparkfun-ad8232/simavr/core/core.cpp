// The rest of the stand-in core (see Arduino.h): main(), and Serial on USART0.
#include "Arduino.h"

SimSerial Serial;

static const uint8_t TX_SIZE = 64;  // the core's SERIAL_TX_BUFFER_SIZE
static volatile uint8_t txRing[TX_SIZE];
static volatile uint8_t txHead = 0;
static volatile uint8_t txTail = 0;
volatile uint8_t rxRing[64];        // the core's receive ring: unused, kept for the RAM figure

void SimSerial::begin(uint32_t baud) {
  // Double speed, as the core does: UBRR = F_CPU / (8 baud) - 1, rounded (115200 -> 16).
  UCSR0A = _BV(U2X0);
  UBRR0 = (uint16_t)((F_CPU / 4 / baud - 1) / 2);
  UCSR0C = _BV(UCSZ01) | _BV(UCSZ00);
  UCSR0B = _BV(TXEN0) | _BV(RXEN0);
  rxRing[0] = 0;
}

void SimSerial::write(uint8_t byte) {
  const uint8_t next = (uint8_t)((txHead + 1) % TX_SIZE);
  while (next == txTail) {
    // Ring full: wait for the interrupt to take a byte (with interrupts off, move one by hand).
    if (!(SREG & _BV(SREG_I)) && (UCSR0A & _BV(UDRE0))) {
      UDR0 = txRing[txTail];
      txTail = (uint8_t)((txTail + 1) % TX_SIZE);
    }
  }
  txRing[txHead] = byte;
  txHead = next;
  UCSR0B |= _BV(UDRIE0);
}

ISR(USART_UDRE_vect) {
  UDR0 = txRing[txTail];
  txTail = (uint8_t)((txTail + 1) % TX_SIZE);
  if (txTail == txHead) UCSR0B &= (uint8_t)~_BV(UDRIE0);
}

void SimSerial::print(const char *text) {
  while (*text) write((uint8_t)*text++);
}

void SimSerial::print(uint32_t value) {
  char digits[11];
  uint8_t n = 0;
  do {
    // one 32-bit division per digit, as the core's Print::printNumber does
    const uint32_t rest = value / 10;
    digits[n++] = (char)('0' + (uint8_t)(value - rest * 10));
    value = rest;
  } while (value != 0);
  while (n > 0) write((uint8_t)digits[--n]);
}

int main() {
  setup();
  for (;;) loop();
}
