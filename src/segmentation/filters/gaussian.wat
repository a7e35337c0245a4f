;; ImageJ's Gaussian blur (ij.plugin.filter.GaussianBlur, 1.53t), bit for bit, as WebAssembly SIMD.
;;
;; Why WebAssembly: ImageJ convolves in 32-bit float. JavaScript has no float32 arithmetic (only
;; doubles, or Math.fround after every operation, which is slow), so a JS version is either slower
;; or differs from ImageJ wherever a blurred value lies within float rounding of x.5. WebAssembly's
;; f32 and f32x4 add/mul are IEEE single precision, exactly Java's float, so doing ImageJ's operations
;; in ImageJ's order gives ImageJ's numbers; four lanes at a time makes it ~8x faster than the JS loop.
;; Compiled to gaussian.wasm at build time (scripts/build-wasm.mjs, wabt); loaded by gaussian.ts,
;; which owns the memory layout, the kernel (makeGaussianKernel) and the argument checks.
;;
;; What is reproduced (GaussianBlur.convolveLine, one line of length `len`, kernel k[0..kr-1] and
;; its running sums s[i] = sum of the taps beyond i, `first`/`last` the line's end pixels):
;;   i < min(kr, len):          r = in[i]*k0; r += s[i]*first; if (i+kr >  len) r += s[len-i-1]*last;
;;                              for t=1..kr-1: v = 0; if (i-t >= 0) v += in[i-t]; if (i+t < len) v += in[i+t]; r += k[t]*v
;;   kr <= i < len-kr (inside): r = in[i]*k0; for t=1..kr-1: r += k[t]*(in[i-t] + in[i+t])
;;   the rest:                  as the first case, but with `if (i < kr)` before the `first` term and
;;                              `i+kr >= len` for the `last` term.
;; Rows are blurred first (each output into float), then columns of that result; integer outputs are
;; ImageJ's ByteProcessor/ShortProcessor.setPixels: v + 0.5f, clamped to the type's range, truncated.
;; Columns are processed as whole rows in SIMD (all pixels of an output row are in the same case).
;;
;; Memory, all set up by gaussian.ts (byte addresses, 16-byte aligned):
;;   kx, sx      f32[krx]          row kernel: taps and running sums (ImageJ makes one kernel per
;;   kern, ksum  f32[kr]           direction, bounded by the line length), then the column kernel
;;   tab         i32[2max(kr,krx)-1]  tap addresses (tab[k-1] = centre)
;;   line        f32[w]            one input row as float; then one output row before conversion
;;   col         f32[2kr-1]        one column window (edge rows of the column pass)
;;   ring        f32[(2kr-1)*w]    the row-blurred rows y-kr+1 .. y+kr-1 (row yy in slot yy mod (2kr-1))
;;   src         the input rows ra .. (u8, u16 or f32; type 0, 1, 2), row-major, width w
;;   dst         the output rows y0 .. y1-1 (same type codes)
(module
  (memory (export "memory") 1)

  ;; ---- one pixel near a line end (the two edge cases above), scalar f32 ------------------------
  ;; `in` is the address of element 0 of the line (elements are 4 bytes apart); only the elements
  ;; the formula needs are read, so `in` may point before a window that starts at element > 0.
  (func $edge (param $in i32) (param $len i32) (param $i i32) (param $kern i32) (param $ksum i32)
              (param $kr i32) (param $head i32) (result f32)
    (local $r f32) (local $v f32) (local $t i32)
    (local.set $r (f32.mul (f32.load (i32.add (local.get $in) (i32.shl (local.get $i) (i32.const 2))))
                           (f32.load (local.get $kern))))
    (if (i32.or (local.get $head) (i32.lt_s (local.get $i) (local.get $kr)))
      (then
        (local.set $r (f32.add (local.get $r)
          (f32.mul (f32.load (i32.add (local.get $ksum) (i32.shl (local.get $i) (i32.const 2))))
                   (f32.load (local.get $in)))))))
    (if (if (result i32) (local.get $head)
          (then (i32.gt_s (i32.add (local.get $i) (local.get $kr)) (local.get $len)))
          (else (i32.ge_s (i32.add (local.get $i) (local.get $kr)) (local.get $len))))
      (then
        (local.set $r (f32.add (local.get $r)
          (f32.mul (f32.load (i32.add (local.get $ksum)
                     (i32.shl (i32.sub (i32.sub (local.get $len) (local.get $i)) (i32.const 1)) (i32.const 2))))
                   (f32.load (i32.add (local.get $in)
                     (i32.shl (i32.sub (local.get $len) (i32.const 1)) (i32.const 2)))))))))
    (local.set $t (i32.const 1))
    (block $done
      (loop $taps
        (br_if $done (i32.ge_s (local.get $t) (local.get $kr)))
        (local.set $v (f32.const 0))
        (if (i32.ge_s (i32.sub (local.get $i) (local.get $t)) (i32.const 0))
          (then (local.set $v (f32.add (local.get $v)
            (f32.load (i32.add (local.get $in) (i32.shl (i32.sub (local.get $i) (local.get $t)) (i32.const 2))))))))
        (if (i32.lt_s (i32.add (local.get $i) (local.get $t)) (local.get $len))
          (then (local.set $v (f32.add (local.get $v)
            (f32.load (i32.add (local.get $in) (i32.shl (i32.add (local.get $i) (local.get $t)) (i32.const 2))))))))
        (local.set $r (f32.add (local.get $r)
          (f32.mul (f32.load (i32.add (local.get $kern) (i32.shl (local.get $t) (i32.const 2)))) (local.get $v))))
        (local.set $t (i32.add (local.get $t) (i32.const 1)))
        (br $taps)))
    (local.get $r))

  ;; ---- the inside case for out[x], x in [from, to) ----------------------------------------------
  ;; tab[kr-1+d] is the address of element 0 of the line at offset d (d = -(kr-1) .. kr-1): for the
  ;; row pass the same line shifted by d pixels, for the column pass the row-blurred row y+d.
  ;; 16 pixels per step (four f32x4 accumulators share each tap's addresses and weight), then 4, then 1.
  (func $inside (param $tab i32) (param $out i32) (param $from i32) (param $to i32) (param $kern i32) (param $kr i32)
    (local $x i32) (local $o i32) (local $t i32) (local $lo i32) (local $hi i32) (local $c i32)
    (local $w v128) (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128) (local $s f32)
    (local.set $c (i32.load (i32.add (local.get $tab) (i32.shl (i32.sub (local.get $kr) (i32.const 1)) (i32.const 2)))))
    (local.set $x (local.get $from))
    (block $end16
      (loop $x16
        (br_if $end16 (i32.gt_s (i32.add (local.get $x) (i32.const 16)) (local.get $to)))
        (local.set $o (i32.shl (local.get $x) (i32.const 2)))
        (local.set $w (v128.load32_splat (local.get $kern)))
        (local.set $a0 (f32x4.mul (v128.load offset=0 (i32.add (local.get $c) (local.get $o))) (local.get $w)))
        (local.set $a1 (f32x4.mul (v128.load offset=16 (i32.add (local.get $c) (local.get $o))) (local.get $w)))
        (local.set $a2 (f32x4.mul (v128.load offset=32 (i32.add (local.get $c) (local.get $o))) (local.get $w)))
        (local.set $a3 (f32x4.mul (v128.load offset=48 (i32.add (local.get $c) (local.get $o))) (local.get $w)))
        (local.set $t (i32.const 1))
        (block $tdone
          (loop $taps
            (br_if $tdone (i32.ge_s (local.get $t) (local.get $kr)))
            (local.set $w (v128.load32_splat (i32.add (local.get $kern) (i32.shl (local.get $t) (i32.const 2)))))
            (local.set $lo (i32.add (local.get $o) (i32.load (i32.add (local.get $tab)
              (i32.shl (i32.sub (i32.sub (local.get $kr) (i32.const 1)) (local.get $t)) (i32.const 2))))))
            (local.set $hi (i32.add (local.get $o) (i32.load (i32.add (local.get $tab)
              (i32.shl (i32.add (i32.sub (local.get $kr) (i32.const 1)) (local.get $t)) (i32.const 2))))))
            (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (local.get $w)
              (f32x4.add (v128.load offset=0 (local.get $lo)) (v128.load offset=0 (local.get $hi))))))
            (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul (local.get $w)
              (f32x4.add (v128.load offset=16 (local.get $lo)) (v128.load offset=16 (local.get $hi))))))
            (local.set $a2 (f32x4.add (local.get $a2) (f32x4.mul (local.get $w)
              (f32x4.add (v128.load offset=32 (local.get $lo)) (v128.load offset=32 (local.get $hi))))))
            (local.set $a3 (f32x4.add (local.get $a3) (f32x4.mul (local.get $w)
              (f32x4.add (v128.load offset=48 (local.get $lo)) (v128.load offset=48 (local.get $hi))))))
            (local.set $t (i32.add (local.get $t) (i32.const 1)))
            (br $taps)))
        (v128.store offset=0 (i32.add (local.get $out) (local.get $o)) (local.get $a0))
        (v128.store offset=16 (i32.add (local.get $out) (local.get $o)) (local.get $a1))
        (v128.store offset=32 (i32.add (local.get $out) (local.get $o)) (local.get $a2))
        (v128.store offset=48 (i32.add (local.get $out) (local.get $o)) (local.get $a3))
        (local.set $x (i32.add (local.get $x) (i32.const 16)))
        (br $x16)))
    (block $end4
      (loop $x4
        (br_if $end4 (i32.gt_s (i32.add (local.get $x) (i32.const 4)) (local.get $to)))
        (local.set $o (i32.shl (local.get $x) (i32.const 2)))
        (local.set $a0 (f32x4.mul (v128.load (i32.add (local.get $c) (local.get $o))) (v128.load32_splat (local.get $kern))))
        (local.set $t (i32.const 1))
        (block $tdone
          (loop $taps
            (br_if $tdone (i32.ge_s (local.get $t) (local.get $kr)))
            (local.set $lo (i32.add (local.get $o) (i32.load (i32.add (local.get $tab)
              (i32.shl (i32.sub (i32.sub (local.get $kr) (i32.const 1)) (local.get $t)) (i32.const 2))))))
            (local.set $hi (i32.add (local.get $o) (i32.load (i32.add (local.get $tab)
              (i32.shl (i32.add (i32.sub (local.get $kr) (i32.const 1)) (local.get $t)) (i32.const 2))))))
            (local.set $a0 (f32x4.add (local.get $a0)
              (f32x4.mul (v128.load32_splat (i32.add (local.get $kern) (i32.shl (local.get $t) (i32.const 2))))
                (f32x4.add (v128.load (local.get $lo)) (v128.load (local.get $hi))))))
            (local.set $t (i32.add (local.get $t) (i32.const 1)))
            (br $taps)))
        (v128.store (i32.add (local.get $out) (local.get $o)) (local.get $a0))
        (local.set $x (i32.add (local.get $x) (i32.const 4)))
        (br $x4)))
    (block $end1
      (loop $x1
        (br_if $end1 (i32.ge_s (local.get $x) (local.get $to)))
        (local.set $o (i32.shl (local.get $x) (i32.const 2)))
        (local.set $s (f32.mul (f32.load (i32.add (local.get $c) (local.get $o))) (f32.load (local.get $kern))))
        (local.set $t (i32.const 1))
        (block $tdone
          (loop $taps
            (br_if $tdone (i32.ge_s (local.get $t) (local.get $kr)))
            (local.set $lo (i32.add (local.get $o) (i32.load (i32.add (local.get $tab)
              (i32.shl (i32.sub (i32.sub (local.get $kr) (i32.const 1)) (local.get $t)) (i32.const 2))))))
            (local.set $hi (i32.add (local.get $o) (i32.load (i32.add (local.get $tab)
              (i32.shl (i32.add (i32.sub (local.get $kr) (i32.const 1)) (local.get $t)) (i32.const 2))))))
            (local.set $s (f32.add (local.get $s)
              (f32.mul (f32.load (i32.add (local.get $kern) (i32.shl (local.get $t) (i32.const 2))))
                (f32.add (f32.load (local.get $lo)) (f32.load (local.get $hi))))))
            (local.set $t (i32.add (local.get $t) (i32.const 1)))
            (br $taps)))
        (f32.store (i32.add (local.get $out) (local.get $o)) (local.get $s))
        (local.set $x (i32.add (local.get $x) (i32.const 1)))
        (br $x1))))

  ;; ---- row pass: src row (type) → line (f32) → ring slot (f32) ---------------------------------
  (func $toFloat (param $src i32) (param $type i32) (param $line i32) (param $w i32)
    (local $x i32) (local $v v128) (local $h v128)
    (if (i32.eq (local.get $type) (i32.const 2))
      (then (memory.copy (local.get $line) (local.get $src) (i32.shl (local.get $w) (i32.const 2))) (return)))
    (if (i32.eq (local.get $type) (i32.const 0))
      (then
        (block $end
          (loop $l
            (br_if $end (i32.gt_s (i32.add (local.get $x) (i32.const 16)) (local.get $w)))
            (local.set $v (v128.load (i32.add (local.get $src) (local.get $x))))
            (local.set $h (i16x8.extend_low_i8x16_u (local.get $v)))
            (v128.store offset=0 (i32.add (local.get $line) (i32.shl (local.get $x) (i32.const 2)))
              (f32x4.convert_i32x4_s (i32x4.extend_low_i16x8_u (local.get $h))))
            (v128.store offset=16 (i32.add (local.get $line) (i32.shl (local.get $x) (i32.const 2)))
              (f32x4.convert_i32x4_s (i32x4.extend_high_i16x8_u (local.get $h))))
            (local.set $h (i16x8.extend_high_i8x16_u (local.get $v)))
            (v128.store offset=32 (i32.add (local.get $line) (i32.shl (local.get $x) (i32.const 2)))
              (f32x4.convert_i32x4_s (i32x4.extend_low_i16x8_u (local.get $h))))
            (v128.store offset=48 (i32.add (local.get $line) (i32.shl (local.get $x) (i32.const 2)))
              (f32x4.convert_i32x4_s (i32x4.extend_high_i16x8_u (local.get $h))))
            (local.set $x (i32.add (local.get $x) (i32.const 16)))
            (br $l)))
        (block $end
          (loop $l
            (br_if $end (i32.ge_s (local.get $x) (local.get $w)))
            (f32.store (i32.add (local.get $line) (i32.shl (local.get $x) (i32.const 2)))
              (f32.convert_i32_u (i32.load8_u (i32.add (local.get $src) (local.get $x)))))
            (local.set $x (i32.add (local.get $x) (i32.const 1)))
            (br $l)))
        (return)))
    ;; u16
    (block $end
      (loop $l
        (br_if $end (i32.gt_s (i32.add (local.get $x) (i32.const 8)) (local.get $w)))
        (local.set $v (v128.load (i32.add (local.get $src) (i32.shl (local.get $x) (i32.const 1)))))
        (v128.store offset=0 (i32.add (local.get $line) (i32.shl (local.get $x) (i32.const 2)))
          (f32x4.convert_i32x4_s (i32x4.extend_low_i16x8_u (local.get $v))))
        (v128.store offset=16 (i32.add (local.get $line) (i32.shl (local.get $x) (i32.const 2)))
          (f32x4.convert_i32x4_s (i32x4.extend_high_i16x8_u (local.get $v))))
        (local.set $x (i32.add (local.get $x) (i32.const 8)))
        (br $l)))
    (block $end
      (loop $l
        (br_if $end (i32.ge_s (local.get $x) (local.get $w)))
        (f32.store (i32.add (local.get $line) (i32.shl (local.get $x) (i32.const 2)))
          (f32.convert_i32_u (i32.load16_u (i32.add (local.get $src) (i32.shl (local.get $x) (i32.const 1))))))
        (local.set $x (i32.add (local.get $x) (i32.const 1)))
        (br $l))))

  ;; convolveLine over a whole line: in (f32[len]) → out (f32[len]); tab: scratch i32[2kr-1]
  (func $convolveLine (param $in i32) (param $out i32) (param $len i32) (param $kern i32) (param $ksum i32)
                      (param $kr i32) (param $tab i32)
    (local $i i32) (local $firstPart i32) (local $insideEnd i32) (local $d i32)
    (local.set $firstPart (select (local.get $kr) (local.get $len) (i32.lt_s (local.get $kr) (local.get $len))))
    (block $end
      (loop $l
        (br_if $end (i32.ge_s (local.get $i) (local.get $firstPart)))
        (f32.store (i32.add (local.get $out) (i32.shl (local.get $i) (i32.const 2)))
          (call $edge (local.get $in) (local.get $len) (local.get $i) (local.get $kern) (local.get $ksum) (local.get $kr) (i32.const 1)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $l)))
    (local.set $insideEnd (i32.sub (local.get $len) (local.get $kr)))
    (if (i32.lt_s (local.get $i) (local.get $insideEnd))
      (then
        ;; tab[kr-1+d] = in + 4d
        (local.set $d (i32.sub (i32.const 1) (local.get $kr)))
        (block $tend
          (loop $tl
            (br_if $tend (i32.ge_s (local.get $d) (local.get $kr)))
            (i32.store (i32.add (local.get $tab) (i32.shl (i32.add (local.get $d) (i32.sub (local.get $kr) (i32.const 1))) (i32.const 2)))
              (i32.add (local.get $in) (i32.shl (local.get $d) (i32.const 2))))
            (local.set $d (i32.add (local.get $d) (i32.const 1)))
            (br $tl)))
        (call $inside (local.get $tab) (local.get $out) (local.get $i) (local.get $insideEnd) (local.get $kern) (local.get $kr))
        (local.set $i (local.get $insideEnd))))
    (block $end
      (loop $l
        (br_if $end (i32.ge_s (local.get $i) (local.get $len)))
        (f32.store (i32.add (local.get $out) (i32.shl (local.get $i) (i32.const 2)))
          (call $edge (local.get $in) (local.get $len) (local.get $i) (local.get $kern) (local.get $ksum) (local.get $kr) (i32.const 0)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $l))))

  ;; ---- output conversion: line (f32[w]) → dst row (type), ImageJ's setPixels rounding -------------
  (func $store (param $line i32) (param $dst i32) (param $type i32) (param $w i32)
    (local $x i32) (local $p i32) (local $a v128) (local $b v128) (local $half v128) (local $i i32)
    (if (i32.eq (local.get $type) (i32.const 2))
      (then (memory.copy (local.get $dst) (local.get $line) (i32.shl (local.get $w) (i32.const 2))) (return)))
    (local.set $half (f32x4.splat (f32.const 0.5)))
    ;; (int)(v + 0.5f) with saturation; the narrowing saturates to the type's range, which is the
    ;; clamp ImageJ applies (its clamp happens before the cast, with the same result); NaN → 0 as in Java.
    (if (i32.eq (local.get $type) (i32.const 0))
      (then
        (block $end
          (loop $l
            (br_if $end (i32.gt_s (i32.add (local.get $x) (i32.const 16)) (local.get $w)))
            (local.set $p (i32.add (local.get $line) (i32.shl (local.get $x) (i32.const 2))))
            (local.set $a (i16x8.narrow_i32x4_s
              (i32x4.trunc_sat_f32x4_s (f32x4.add (v128.load offset=0 (local.get $p)) (local.get $half)))
              (i32x4.trunc_sat_f32x4_s (f32x4.add (v128.load offset=16 (local.get $p)) (local.get $half)))))
            (local.set $b (i16x8.narrow_i32x4_s
              (i32x4.trunc_sat_f32x4_s (f32x4.add (v128.load offset=32 (local.get $p)) (local.get $half)))
              (i32x4.trunc_sat_f32x4_s (f32x4.add (v128.load offset=48 (local.get $p)) (local.get $half)))))
            (v128.store (i32.add (local.get $dst) (local.get $x)) (i8x16.narrow_i16x8_u (local.get $a) (local.get $b)))
            (local.set $x (i32.add (local.get $x) (i32.const 16)))
            (br $l)))
        (block $end
          (loop $l
            (br_if $end (i32.ge_s (local.get $x) (local.get $w)))
            (local.set $i (i32.trunc_sat_f32_s (f32.add (f32.load (i32.add (local.get $line) (i32.shl (local.get $x) (i32.const 2)))) (f32.const 0.5))))
            (local.set $i (select (i32.const 0) (local.get $i) (i32.lt_s (local.get $i) (i32.const 0))))
            (local.set $i (select (i32.const 255) (local.get $i) (i32.gt_s (local.get $i) (i32.const 255))))
            (i32.store8 (i32.add (local.get $dst) (local.get $x)) (local.get $i))
            (local.set $x (i32.add (local.get $x) (i32.const 1)))
            (br $l)))
        (return)))
    (block $end
      (loop $l
        (br_if $end (i32.gt_s (i32.add (local.get $x) (i32.const 8)) (local.get $w)))
        (local.set $p (i32.add (local.get $line) (i32.shl (local.get $x) (i32.const 2))))
        (v128.store (i32.add (local.get $dst) (i32.shl (local.get $x) (i32.const 1)))
          (i16x8.narrow_i32x4_u
            (i32x4.trunc_sat_f32x4_s (f32x4.add (v128.load offset=0 (local.get $p)) (local.get $half)))
            (i32x4.trunc_sat_f32x4_s (f32x4.add (v128.load offset=16 (local.get $p)) (local.get $half)))))
        (local.set $x (i32.add (local.get $x) (i32.const 8)))
        (br $l)))
    (block $end
      (loop $l
        (br_if $end (i32.ge_s (local.get $x) (local.get $w)))
        (local.set $i (i32.trunc_sat_f32_s (f32.add (f32.load (i32.add (local.get $line) (i32.shl (local.get $x) (i32.const 2)))) (f32.const 0.5))))
        (local.set $i (select (i32.const 0) (local.get $i) (i32.lt_s (local.get $i) (i32.const 0))))
        (local.set $i (select (i32.const 65535) (local.get $i) (i32.gt_s (local.get $i) (i32.const 65535))))
        (i32.store16 (i32.add (local.get $dst) (i32.shl (local.get $x) (i32.const 1))) (local.get $i))
        (local.set $x (i32.add (local.get $x) (i32.const 1)))
        (br $l))))

  ;; ---- the blur: output rows y0 .. y1-1 of a w×h image; (kx, sx, krx) blurs rows, (kern, ksum, kr) columns
  ;; src holds input rows ra .. (at least max(0, y0-kr+1) .. min(h, y1+kr-1)-1); dst receives the
  ;; output rows from y0. work: tab, line, col, ring as laid out above (tab at work).
  (func (export "blur")
        (param $src i32) (param $stype i32) (param $dst i32) (param $dtype i32)
        (param $w i32) (param $h i32) (param $ra i32) (param $y0 i32) (param $y1 i32)
        (param $kx i32) (param $sx i32) (param $krx i32)
        (param $kern i32) (param $ksum i32) (param $kr i32) (param $work i32)
    (local $n i32) (local $nt i32) (local $tab i32) (local $line i32) (local $col i32) (local $ring i32)
    (local $done i32) (local $y i32) (local $need i32) (local $j i32) (local $yy i32) (local $x i32)
    (local $firstPart i32) (local $insideEnd i32) (local $base i32) (local $top i32) (local $bpp i32) (local $dbpp i32)
    (local.set $n (i32.sub (i32.shl (local.get $kr) (i32.const 1)) (i32.const 1)))
    (local.set $nt (i32.sub (i32.shl (local.get $krx) (i32.const 1)) (i32.const 1)))
    (if (i32.lt_s (local.get $nt) (local.get $n)) (then (local.set $nt (local.get $n))))
    (local.set $tab (local.get $work))
    (local.set $line (i32.add (local.get $tab) (i32.and (i32.add (i32.shl (local.get $nt) (i32.const 2)) (i32.const 15)) (i32.const -16))))
    (local.set $col (i32.add (local.get $line) (i32.and (i32.add (i32.shl (local.get $w) (i32.const 2)) (i32.const 15)) (i32.const -16))))
    (local.set $ring (i32.add (local.get $col) (i32.and (i32.add (i32.shl (local.get $n) (i32.const 2)) (i32.const 15)) (i32.const -16))))
    (local.set $bpp (select (i32.const 1) (select (i32.const 2) (i32.const 4) (i32.eq (local.get $stype) (i32.const 1))) (i32.eqz (local.get $stype))))
    (local.set $dbpp (select (i32.const 1) (select (i32.const 2) (i32.const 4) (i32.eq (local.get $dtype) (i32.const 1))) (i32.eqz (local.get $dtype))))
    (local.set $firstPart (select (local.get $kr) (local.get $h) (i32.lt_s (local.get $kr) (local.get $h))))
    (local.set $insideEnd (i32.sub (local.get $h) (local.get $kr)))
    (local.set $done (i32.sub (local.get $y0) (i32.sub (local.get $kr) (i32.const 1))))
    (if (i32.lt_s (local.get $done) (i32.const 0)) (then (local.set $done (i32.const 0))))
    (local.set $y (local.get $y0))
    (block $yend
      (loop $yl
        (br_if $yend (i32.ge_s (local.get $y) (local.get $y1)))
        ;; row pass for every input row the column window needs
        (local.set $need (i32.add (local.get $y) (i32.sub (local.get $kr) (i32.const 1))))
        (if (i32.ge_s (local.get $need) (local.get $h)) (then (local.set $need (i32.sub (local.get $h) (i32.const 1)))))
        (block $dend
          (loop $dl
            (br_if $dend (i32.gt_s (local.get $done) (local.get $need)))
            (call $toFloat
              (i32.add (local.get $src) (i32.mul (i32.mul (i32.sub (local.get $done) (local.get $ra)) (local.get $w)) (local.get $bpp)))
              (local.get $stype) (local.get $line) (local.get $w))
            (call $convolveLine (local.get $line)
              (i32.add (local.get $ring) (i32.shl (i32.mul (i32.rem_u (local.get $done) (local.get $n)) (local.get $w)) (i32.const 2)))
              (local.get $w) (local.get $kx) (local.get $sx) (local.get $krx) (local.get $tab))
            (local.set $done (i32.add (local.get $done) (i32.const 1)))
            (br $dl)))
        (if (i32.and (i32.ge_s (local.get $y) (local.get $firstPart)) (i32.lt_s (local.get $y) (local.get $insideEnd)))
          (then
            ;; inside: tab[kr-1+d] = ring slot of row y+d (all within the image)
            (local.set $j (i32.const 0))
            (block $tend
              (loop $tl
                (br_if $tend (i32.ge_s (local.get $j) (local.get $n)))
                (local.set $yy (i32.add (local.get $y) (i32.sub (local.get $j) (i32.sub (local.get $kr) (i32.const 1)))))
                (i32.store (i32.add (local.get $tab) (i32.shl (local.get $j) (i32.const 2)))
                  (i32.add (local.get $ring) (i32.shl (i32.mul (i32.rem_u (local.get $yy) (local.get $n)) (local.get $w)) (i32.const 2))))
                (local.set $j (i32.add (local.get $j) (i32.const 1)))
                (br $tl)))
            (call $inside (local.get $tab) (local.get $line) (i32.const 0) (local.get $w) (local.get $kern) (local.get $kr)))
          (else
            ;; edge row: per column, gather the window rows base..top and apply the edge formula
            (local.set $base (i32.sub (local.get $y) (i32.sub (local.get $kr) (i32.const 1))))
            (if (i32.lt_s (local.get $base) (i32.const 0)) (then (local.set $base (i32.const 0))))
            (local.set $top (i32.add (local.get $y) (i32.sub (local.get $kr) (i32.const 1))))
            (if (i32.ge_s (local.get $top) (local.get $h)) (then (local.set $top (i32.sub (local.get $h) (i32.const 1)))))
            (local.set $x (i32.const 0))
            (block $xend
              (loop $xl
                (br_if $xend (i32.ge_s (local.get $x) (local.get $w)))
                (local.set $yy (local.get $base))
                (block $gend
                  (loop $gl
                    (br_if $gend (i32.gt_s (local.get $yy) (local.get $top)))
                    (f32.store (i32.add (local.get $col) (i32.shl (i32.sub (local.get $yy) (local.get $base)) (i32.const 2)))
                      (f32.load (i32.add (local.get $ring)
                        (i32.shl (i32.add (i32.mul (i32.rem_u (local.get $yy) (local.get $n)) (local.get $w)) (local.get $x)) (i32.const 2)))))
                    (local.set $yy (i32.add (local.get $yy) (i32.const 1)))
                    (br $gl)))
                (f32.store (i32.add (local.get $line) (i32.shl (local.get $x) (i32.const 2)))
                  (call $edge (i32.sub (local.get $col) (i32.shl (local.get $base) (i32.const 2)))
                    (local.get $h) (local.get $y) (local.get $kern) (local.get $ksum) (local.get $kr)
                    (i32.lt_s (local.get $y) (local.get $firstPart))))
                (local.set $x (i32.add (local.get $x) (i32.const 1)))
                (br $xl)))))
        (call $store (local.get $line)
          (i32.add (local.get $dst) (i32.mul (i32.mul (i32.sub (local.get $y) (local.get $y0)) (local.get $w)) (local.get $dbpp)))
          (local.get $dtype) (local.get $w))
        (local.set $y (i32.add (local.get $y) (i32.const 1)))
        (br $yl))))
)
