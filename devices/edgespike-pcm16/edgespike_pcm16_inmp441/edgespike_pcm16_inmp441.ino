/*
 * edgespike_pcm16_inmp441: INMP441 I2S microphone -> edgespike-pcm16 frames over USB serial.
 *
 * Board:   an ESP32 board (ESP32-WROOM-32 "ESP32 Dev Module" or similar) with a USB-serial
 *          bridge that does 921600 baud (CP2102, CH340 and FTDI bridges do).
 * Core:    Arduino-ESP32 2.0.x (ESP-IDF 4.4; 2.0.17 is the last 2.x release), using the
 *          legacy I2S driver <driver/i2s.h>. Core 3.x replaced that driver (it still compiles
 *          there with a deprecation warning, but this sketch is written for 2.0.x).
 * Wiring:  INMP441 VDD -> 3V3, GND -> GND, L/R -> GND (left slot),
 *          SCK -> GPIO26, WS -> GPIO25, SD -> GPIO33.
 *
 * Stream:  921600 baud, 8N1, binary. Every 16 ms one frame of 256 samples (16 kHz, mono):
 *            A5 5A | sequence (uint16 LE) | n (uint16 LE) | n x int16 LE | CRC (uint16 LE)
 *          The CRC is CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF, no reflection, xorout 0)
 *          over sequence, n and the samples. The sequence counts frames from 0 after reset
 *          and wraps at 65536. Byte-by-byte description: devices/edgespike-pcm16/README.md.
 *          Data rate: 16000 x 2 x 520/512 = 32.5 kB/s, 35 % of the 92.16 kB/s of 921600 baud.
 *
 * Samples: the INMP441 sends 24-bit two's complement samples, MSB first, in 32-bit I2S slots
 *          (64 SCK cycles per WS frame). The top 24 bits of each 32-bit word are the sample;
 *          its top 16 bits are sent, so int16 full scale (32768) is the microphone's digital
 *          full scale (0 dBFS, about 120 dB SPL for its -26 dBFS sensitivity at 94 dB SPL).
 *          GAIN_SHIFT below adds gain for quiet sounds, with saturation.
 *
 * Clocks:  SCK = 16 kHz x 64 = 1.024 MHz (the INMP441 accepts 0.5 to 3.2 MHz, WS 7.8 to
 *          50 kHz). After SCK starts the microphone needs 2^18 SCK cycles (256 ms) before
 *          its output is valid; the sketch discards that time.
 *
 * Slot:    ESP-IDF 4.4 (the core 2.0.x series) swaps ONLY_LEFT and ONLY_RIGHT for 32-bit mono
 *          input on the ESP32 (esp-idf issue #9635, arduino-esp32 issue #7177): a left-slot
 *          microphone reads as all zeros with I2S_CHANNEL_FMT_ONLY_LEFT on some versions. So
 *          the sketch checks: if the chosen slot is dead (every word identical for 0.25 s),
 *          it switches to the other slot. A live INMP441 always shows noise in its low bits.
 *
 * Nothing but frames is written to Serial (the ESP32's own boot messages at 115200 baud come
 * before this sketch runs; a receiver skips them as bytes outside a valid frame).
 */

#include <Arduino.h>
#include <driver/gpio.h>
#include <driver/i2s.h>

// ---- Configuration -------------------------------------------------------------------

static const int PIN_I2S_SCK = 26;  // INMP441 SCK (bit clock, driven by the ESP32)
static const int PIN_I2S_WS = 25;   // INMP441 WS (word select, driven by the ESP32)
static const int PIN_I2S_SD = 33;   // INMP441 SD (serial data from the microphone)

static const i2s_port_t I2S_PORT = I2S_NUM_0;
static const uint32_t SAMPLE_RATE_HZ = 16000;
static const uint32_t SERIAL_BAUD = 921600;
static const uint16_t SAMPLES_PER_FRAME = 256;  // 16 ms at 16 kHz; 8 + 512 bytes a frame
static const int DMA_BUFFER_COUNT = 8;          // 8 x 256 samples = 128 ms of buffering

// Extra gain as a left shift, 0..15: 0 sends the top 16 of the 24 bits (no gain); each step
// doubles the signal (+6 dB) and saturates at the int16 limits. With a gain the profile's
// "fullscale" unit becomes 1/2^GAIN_SHIFT of the microphone's full scale.
static const int GAIN_SHIFT = 0;

// The time to discard after starting the I2S clock: the microphone's 2^18-cycle start-up
// (256 ms at 1.024 MHz) plus a margin.
static const uint32_t STARTUP_DISCARD_MS = 300;

// ---- State ---------------------------------------------------------------------------

static int32_t i2sWords[SAMPLES_PER_FRAME];        // one 32-bit I2S slot per sample
static uint8_t frame[8 + 2 * SAMPLES_PER_FRAME];   // sync, header, samples, CRC
static uint16_t sequence = 0;                      // frames sent since reset, mod 65536

// ---- CRC-16/CCITT-FALSE --------------------------------------------------------------

// CRC-16/CCITT-FALSE: poly 0x1021, init 0xFFFF, MSB first (no reflection), xorout 0.
// Check value: crc16CcittFalse("123456789", 9) == 0x29B1. Bitwise: 520 bytes every 16 ms is
// about 4200 loop turns, nothing for a 240 MHz CPU.
static uint16_t crc16CcittFalse(const uint8_t *data, size_t length) {
  uint16_t crc = 0xFFFF;
  for (size_t i = 0; i < length; i++) {
    crc ^= (uint16_t)data[i] << 8;
    for (int bit = 0; bit < 8; bit++) {
      crc = (crc & 0x8000) ? (uint16_t)((crc << 1) ^ 0x1021) : (uint16_t)(crc << 1);
    }
  }
  return crc;
}

// ---- I2S -----------------------------------------------------------------------------

// Install the legacy I2S driver as a master receiver reading one slot. Returns false on error.
static bool startI2s(i2s_channel_fmt_t channelFormat) {
  i2s_config_t config = {};  // every field not set below is 0 (fixed_mclk, bits_per_chan, ...)
  config.mode = (i2s_mode_t)(I2S_MODE_MASTER | I2S_MODE_RX);
  config.sample_rate = SAMPLE_RATE_HZ;
  config.bits_per_sample = I2S_BITS_PER_SAMPLE_32BIT;  // 24-bit data in 32-bit slots
  config.channel_format = channelFormat;
  config.communication_format = I2S_COMM_FORMAT_STAND_I2S;  // Philips I2S: data 1 SCK after WS
  config.intr_alloc_flags = ESP_INTR_FLAG_LEVEL1;
  config.dma_buf_count = DMA_BUFFER_COUNT;
  config.dma_buf_len = SAMPLES_PER_FRAME;  // in frames (one 32-bit word each in mono)
  config.use_apll = false;
  config.tx_desc_auto_clear = false;
  config.fixed_mclk = 0;
  if (i2s_driver_install(I2S_PORT, &config, 0, NULL) != ESP_OK) return false;

  i2s_pin_config_t pins = {};
  pins.mck_io_num = I2S_PIN_NO_CHANGE;  // no master clock: the INMP441 needs none (0 = GPIO0!)
  pins.bck_io_num = PIN_I2S_SCK;
  pins.ws_io_num = PIN_I2S_WS;
  pins.data_out_num = I2S_PIN_NO_CHANGE;
  pins.data_in_num = PIN_I2S_SD;
  if (i2s_set_pin(I2S_PORT, &pins) != ESP_OK) {
    i2s_driver_uninstall(I2S_PORT);
    return false;
  }
  // The INMP441 leaves SD high-impedance during the slot it does not use; pull the line down
  // so that slot reads as steady zeros (what slotIsDead() looks for) instead of floating.
  gpio_pulldown_en((gpio_num_t)PIN_I2S_SD);
  return true;
}

// Read one block of up to SAMPLES_PER_FRAME words into i2sWords; returns the word count.
static size_t readBlock(TickType_t ticksToWait) {
  size_t bytesRead = 0;
  if (i2s_read(I2S_PORT, i2sWords, sizeof(i2sWords), &bytesRead, ticksToWait) != ESP_OK) return 0;
  return bytesRead / sizeof(int32_t);
}

static void discardMs(uint32_t ms) {
  const uint32_t start = millis();
  while (millis() - start < ms) readBlock(pdMS_TO_TICKS(100));
}

// True if no microphone drives the slot being read: every word in 0.256 s is the same.
static bool slotIsDead() {
  bool haveFirst = false;
  int32_t first = 0;
  for (int block = 0; block < 16; block++) {  // 16 x 256 words = 4096 samples
    const size_t count = readBlock(pdMS_TO_TICKS(200));
    for (size_t i = 0; i < count; i++) {
      if (!haveFirst) {
        first = i2sWords[i];
        haveFirst = true;
      } else if (i2sWords[i] != first) {
        return false;
      }
    }
  }
  return true;
}

// ---- Frames --------------------------------------------------------------------------

// One 32-bit I2S word -> int16: the top 16 bits of the 24-bit sample, times 2^GAIN_SHIFT,
// saturated. ">>" on a negative int32_t is an arithmetic shift in GCC (sign kept).
static int16_t toInt16(int32_t word) {
  const int32_t value = word >> (16 - GAIN_SHIFT);
  if (value > INT16_MAX) return INT16_MAX;
  if (value < INT16_MIN) return INT16_MIN;
  return (int16_t)value;
}

static void sendFrame(const int32_t *words, uint16_t count) {
  frame[0] = 0xA5;
  frame[1] = 0x5A;
  frame[2] = (uint8_t)(sequence & 0xFF);
  frame[3] = (uint8_t)(sequence >> 8);
  frame[4] = (uint8_t)(count & 0xFF);
  frame[5] = (uint8_t)(count >> 8);
  uint8_t *out = frame + 6;
  for (uint16_t i = 0; i < count; i++) {
    const uint16_t bits = (uint16_t)toInt16(words[i]);
    *out++ = (uint8_t)(bits & 0xFF);
    *out++ = (uint8_t)(bits >> 8);
  }
  const uint16_t crc = crc16CcittFalse(frame + 2, 4 + 2 * (size_t)count);
  *out++ = (uint8_t)(crc & 0xFF);
  *out++ = (uint8_t)(crc >> 8);
  // Waits while the UART drains (about 5.6 ms for 520 bytes at 921600 baud); the I2S DMA
  // buffers keep sampling meanwhile, so no sample is lost.
  Serial.write(frame, (size_t)(out - frame));
  sequence++;  // wraps from 65535 to 0
}

// ---- Arduino entry points ------------------------------------------------------------

void setup() {
  Serial.begin(SERIAL_BAUD);

  i2s_channel_fmt_t slot = I2S_CHANNEL_FMT_ONLY_LEFT;  // L/R tied to GND = left slot
  while (!startI2s(slot)) delay(1000);                 // only fails on a wrong pin or port
  discardMs(STARTUP_DISCARD_MS);
  if (slotIsDead()) {
    // The left-slot microphone shows up in the other slot on this core (see "Slot" above),
    // or L/R is tied high. Read the other slot instead.
    i2s_driver_uninstall(I2S_PORT);
    slot = I2S_CHANNEL_FMT_ONLY_RIGHT;
    while (!startI2s(slot)) delay(1000);
    discardMs(STARTUP_DISCARD_MS);  // the clock stopped: the microphone starts up again
  }
  // If both slots are dead (microphone not wired), the stream still runs and carries the
  // constant value read: edgespike shows a flat signal rather than nothing.
}

void loop() {
  const size_t count = readBlock(portMAX_DELAY);  // waits for 256 samples (16 ms)
  if (count > 0) sendFrame(i2sWords, (uint16_t)count);
}
