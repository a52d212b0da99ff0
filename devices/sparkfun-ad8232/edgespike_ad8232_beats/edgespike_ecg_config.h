/*
 * How this sketch builds the exported detector (edgespike_ecg/edgespike_ecg.c), in one place
 * for both files that include its header (the .ino and edgespike_ecg_unprimed.c): the Arduino
 * IDE takes no -D flags, and the struct depends on this setting.
 *
 * EDGESPIKE_ECG_PRIME 0: the delta modulator starts without holding the first block (360
 * samples: 722 bytes more RAM, about 1.7 KB for the whole sketch instead of under 1 KB); it
 * matches the TypeScript encoder run without priming, bit for bit.
 */
#ifndef EDGESPIKE_ECG_CONFIG_H
#define EDGESPIKE_ECG_CONFIG_H
#define EDGESPIKE_ECG_PRIME 0
#endif
