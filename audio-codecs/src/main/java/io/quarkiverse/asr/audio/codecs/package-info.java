/**
 * Decoders for compressed audio, registered as {@link io.quarkiverse.asr.spi.audio.AudioDecoder} services:
 * {@link io.quarkiverse.asr.audio.codecs.Mp3Decoder}, {@link io.quarkiverse.asr.audio.codecs.FlacDecoder},
 * {@link io.quarkiverse.asr.audio.codecs.OggDecoder} (Opus, Vorbis), {@link io.quarkiverse.asr.audio.codecs.Mp4Decoder}
 * (AAC, Opus, MP3), {@link io.quarkiverse.asr.audio.codecs.AdtsDecoder} (AAC) and
 * {@link io.quarkiverse.asr.audio.codecs.MatroskaDecoder} (WebM/Matroska: Opus, Vorbis, AAC, MP3, FLAC).
 *
 * <p>
 * All of it is Java: the containers and FLAC are decoded here, the lossy codecs by JLayer, Concentus, JAAD and
 * JOrbis.
 * Every decoder is stateless and thread-safe, bounded by {@link io.quarkiverse.asr.audio.codecs.CodecLimits}, and
 * reports anything it cannot decode as an {@link io.quarkiverse.asr.spi.UnsupportedAudioException} with the reason.
 * See docs/audio-formats.md.
 */
package io.quarkiverse.asr.audio.codecs;
