;; oomscope's byte scanner: one SIMD pass over a range of bytes finds the lines that hold a needle and
;; counts newlines on the way. Source of src/read/byte-scanner-wasm.ts (`node scripts/build-wasm.mjs`);
;; src/read/byte-scanner.ts drives it.
;;
;; Memory, all addresses absolute and chosen by the caller except the config:
;;   0..63    needle k's bytes (k = 0..3), zero-padded to 16 (unused needles repeat needle 0)
;;   64..79   needle k's mask, (1 << length) - 1, as i32
;;   80..95   needle k's length, as i32
;;   base     the n input bytes, then at least 32 zero bytes (vector loads run past the end)
;;   table    u32 per 256-byte block: table[j] = newlines in input[0, 256 * j)
;;   out      u32 line starts (relative to base), at most n / 4 + 1 of them
(module
  (memory (export "memory") 1)

  ;; The four lanes of a u8 newline accumulator, added up.
  (func $sum (param $acc v128) (result i32)
    (local $wide v128)
    (local.set $wide (i32x4.extadd_pairwise_i16x8_u (i16x8.extadd_pairwise_i8x16_u (local.get $acc))))
    (i32.add
      (i32.add (i32x4.extract_lane 0 (local.get $wide)) (i32x4.extract_lane 1 (local.get $wide)))
      (i32.add (i32x4.extract_lane 2 (local.get $wide)) (i32x4.extract_lane 3 (local.get $wide)))))

  ;; Newlines in memory[start, end).
  (func $count (export "count") (param $start i32) (param $end i32) (result i32)
    (local $total i32) (local $stop i32) (local $acc v128) (local $nl v128)
    (local.set $nl (i8x16.splat (i32.const 10)))
    (block $tail
      (loop $runs
        (br_if $tail (i32.lt_u (i32.sub (local.get $end) (local.get $start)) (i32.const 16)))
        ;; at most 240 vectors a run, so no u8 lane overflows
        (local.set $stop (i32.add (local.get $start)
          (select (i32.const 3840)
                  (i32.and (i32.sub (local.get $end) (local.get $start)) (i32.const -16))
                  (i32.gt_u (i32.sub (local.get $end) (local.get $start)) (i32.const 3840)))))
        (local.set $acc (v128.const i64x2 0 0))
        (loop $vectors
          (local.set $acc (i8x16.sub (local.get $acc) (i8x16.eq (v128.load (local.get $start)) (local.get $nl))))
          (local.set $start (i32.add (local.get $start) (i32.const 16)))
          (br_if $vectors (i32.lt_u (local.get $start) (local.get $stop))))
        (local.set $total (i32.add (local.get $total) (call $sum (local.get $acc))))
        (br $runs)))
    (block $done
      (loop $bytes
        (br_if $done (i32.ge_u (local.get $start) (local.get $end)))
        (local.set $total (i32.add (local.get $total) (i32.eq (i32.load8_u (local.get $start)) (i32.const 10))))
        (local.set $start (i32.add (local.get $start) (i32.const 1)))
        (br $bytes)))
    (local.get $total))

  ;; Newlines in input[0, x) after a scan: the table's count up to x's block, then the rest of it.
  (func (export "newlinesBefore") (param $base i32) (param $table i32) (param $x i32) (result i32)
    (i32.add
      (i32.load (i32.add (local.get $table) (i32.shl (i32.shr_u (local.get $x) (i32.const 8)) (i32.const 2))))
      (call $count
        (i32.add (local.get $base) (i32.and (local.get $x) (i32.const -256)))
        (i32.add (local.get $base) (local.get $x)))))

  ;; 1 if a whole needle starts at input[q] and ends by input[n].
  (func $match (param $base i32) (param $n i32) (param $q i32) (result i32)
    (local $at v128) (local $k i32) (local $mask i32)
    (local.set $at (v128.load (i32.add (local.get $base) (local.get $q))))
    (loop $needles
      (local.set $mask (i32.load offset=64 (local.get $k)))
      (if (i32.and
            (i32.eq (i32.and (i8x16.bitmask (i8x16.eq (local.get $at) (v128.load (i32.shl (local.get $k) (i32.const 2)))))
                             (local.get $mask))
                    (local.get $mask))
            (i32.le_u (i32.add (local.get $q) (i32.load offset=80 (local.get $k))) (local.get $n)))
        (then (return (i32.const 1))))
      (local.set $k (i32.add (local.get $k) (i32.const 4)))
      (br_if $needles (i32.lt_u (local.get $k) (i32.const 16))))
    (i32.const 0))

  ;; One pass over input = memory[base, base + n): writes the start (relative to base) of each line that holds
  ;; a needle to `out`, in order and once each, fills `table`, and returns how many starts it wrote.
  ;; A candidate is a position where a needle's first three bytes are; $match checks the whole needle.
  (func (export "scan") (param $base i32) (param $n i32) (param $table i32) (param $out i32) (result i32)
    (local $p i32) (local $blockEnd i32) (local $total i32) (local $found i32)
    (local $bits i32) (local $q i32) (local $skip i32) (local $at i32)
    (local $v0 v128) (local $v1 v128) (local $v2 v128) (local $m v128) (local $acc v128) (local $nl v128)
    (local $a0 v128) (local $b0 v128) (local $c0 v128)
    (local $a1 v128) (local $b1 v128) (local $c1 v128)
    (local $a2 v128) (local $b2 v128) (local $c2 v128)
    (local $a3 v128) (local $b3 v128) (local $c3 v128)
    (local.set $nl (i8x16.splat (i32.const 10)))
    (local.set $a0 (v128.load8_splat offset=0 (i32.const 0)))
    (local.set $b0 (v128.load8_splat offset=1 (i32.const 0)))
    (local.set $c0 (v128.load8_splat offset=2 (i32.const 0)))
    (local.set $a1 (v128.load8_splat offset=16 (i32.const 0)))
    (local.set $b1 (v128.load8_splat offset=17 (i32.const 0)))
    (local.set $c1 (v128.load8_splat offset=18 (i32.const 0)))
    (local.set $a2 (v128.load8_splat offset=32 (i32.const 0)))
    (local.set $b2 (v128.load8_splat offset=33 (i32.const 0)))
    (local.set $c2 (v128.load8_splat offset=34 (i32.const 0)))
    (local.set $a3 (v128.load8_splat offset=48 (i32.const 0)))
    (local.set $b3 (v128.load8_splat offset=49 (i32.const 0)))
    (local.set $c3 (v128.load8_splat offset=50 (i32.const 0)))
    (i32.store (local.get $table) (i32.const 0))
    (block $exit
      (loop $blocks
        (br_if $exit (i32.ge_u (local.get $p) (local.get $n)))
        ;; 16 vectors a block: no u8 lane overflows, and newlinesBefore counts at most 255 bytes itself.
        ;; The last vector may run into the zero padding.
        (local.set $blockEnd (select (i32.add (local.get $p) (i32.const 256)) (local.get $n)
          (i32.lt_u (i32.add (local.get $p) (i32.const 256)) (local.get $n))))
        (local.set $acc (v128.const i64x2 0 0))
        (loop $vectors
          (local.set $at (i32.add (local.get $base) (local.get $p)))
          (local.set $v0 (v128.load (local.get $at)))
          (local.set $v1 (v128.load offset=1 (local.get $at)))
          (local.set $v2 (v128.load offset=2 (local.get $at)))
          (local.set $acc (i8x16.sub (local.get $acc) (i8x16.eq (local.get $v0) (local.get $nl))))
          (local.set $m
            (v128.or
              (v128.or
                (v128.and (v128.and (i8x16.eq (local.get $v0) (local.get $a0)) (i8x16.eq (local.get $v1) (local.get $b0)))
                          (i8x16.eq (local.get $v2) (local.get $c0)))
                (v128.and (v128.and (i8x16.eq (local.get $v0) (local.get $a1)) (i8x16.eq (local.get $v1) (local.get $b1)))
                          (i8x16.eq (local.get $v2) (local.get $c1))))
              (v128.or
                (v128.and (v128.and (i8x16.eq (local.get $v0) (local.get $a2)) (i8x16.eq (local.get $v1) (local.get $b2)))
                          (i8x16.eq (local.get $v2) (local.get $c2)))
                (v128.and (v128.and (i8x16.eq (local.get $v0) (local.get $a3)) (i8x16.eq (local.get $v1) (local.get $b3)))
                          (i8x16.eq (local.get $v2) (local.get $c3))))))
          (if (v128.any_true (local.get $m))
            (then
              ;; Rare: visit the candidates in order.
              (local.set $bits (i8x16.bitmask (local.get $m)))
              (loop $candidates
                (local.set $q (i32.add (local.get $p) (i32.ctz (local.get $bits))))
                ;; Candidates before $skip are in the line last written.
                (if (if (result i32) (i32.ge_u (local.get $q) (local.get $skip))
                      (then (call $match (local.get $base) (local.get $n) (local.get $q)))
                      (else (i32.const 0)))
                  (then
                    ;; The line's start: just past the newline before q, or the input's start.
                    (local.set $at (local.get $q))
                    (block $started
                      (loop $back
                        (br_if $started (i32.eqz (local.get $at)))
                        (br_if $started (i32.eq (i32.load8_u (i32.add (local.get $base) (i32.sub (local.get $at) (i32.const 1))))
                                                (i32.const 10)))
                        (local.set $at (i32.sub (local.get $at) (i32.const 1)))
                        (br $back)))
                    (i32.store (i32.add (local.get $out) (i32.shl (local.get $found) (i32.const 2))) (local.get $at))
                    (local.set $found (i32.add (local.get $found) (i32.const 1)))
                    ;; The line's end: its newline, or the input's end. No needle holds a newline.
                    (local.set $skip (local.get $q))
                    (block $ended
                      (loop $forward
                        (br_if $ended (i32.ge_u (local.get $skip) (local.get $n)))
                        (br_if $ended (i32.eq (i32.load8_u (i32.add (local.get $base) (local.get $skip))) (i32.const 10)))
                        (local.set $skip (i32.add (local.get $skip) (i32.const 1)))
                        (br $forward)))))
                (local.set $bits (i32.and (local.get $bits) (i32.sub (local.get $bits) (i32.const 1))))
                (br_if $candidates (local.get $bits)))))
          (local.set $p (i32.add (local.get $p) (i32.const 16)))
          (br_if $vectors (i32.lt_u (local.get $p) (local.get $blockEnd))))
        ;; table[j + 1] for block j (for the last, partial block it is never read)
        (local.set $total (i32.add (local.get $total) (call $sum (local.get $acc))))
        (i32.store
          (i32.add (local.get $table) (i32.shl (i32.add (i32.shr_u (i32.sub (local.get $p) (i32.const 1)) (i32.const 8)) (i32.const 1)) (i32.const 2)))
          (local.get $total))
        (br $blocks)))
    (local.get $found))
)
