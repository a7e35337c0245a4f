;; The pixel classifier's two layers for runs of pixels, eight pixels per iteration as two f32x4 (see
;; mlp.ts), and the per-pixel work after them for prediction (classify: argmax, softmax confidences).
;;
;; mlp(in, count, F, G, K, w1s, b1s, w2, b2, out): for pixels x = 0 … count−1 (count a multiple of 8)
;;   in:  F planes of `count` f32 (feature f of pixel x at in + 4·(f·count + x))
;;   G:   hidden units / 4 (the hidden layer is padded to a multiple of 4 with zero units)
;;   w1s: layer-1 weights pre-splatted: for group g, feature f, unit u of the group, the v128 at
;;        w1s + 16·(4·(g·F + f) + u) holds w1[f, 4g+u] in all four lanes
;;   b1s: b1[j] splatted, 16 bytes per unit;  w2: (4G)×K f32 (w2[j·K + k]);  b2: K f32
;;   out: K planes of `count` f32, the logits: b2[k] + Σ_j w2[j,k] · max(0, b1[j] + Σ_f w1[f,j] · in[f,x])
;; Four hidden units share each input load and two pixel quads share each weight load (eight
;; independent accumulator chains). IEEE f32 arithmetic in a fixed order (f ascending per unit; logits
;; accumulate units 4g … 4g+3 per group, groups ascending): the same bits on every machine, and the
;; same as the earlier four-pixel kernel (only the grouping of pixels changed).
(module
  (memory (export "memory") 16)
  (func (export "mlp")
    (param $in i32) (param $count i32) (param $F i32) (param $G i32) (param $K i32)
    (param $w1s i32) (param $b1s i32) (param $w2 i32) (param $b2 i32) (param $out i32)
    (local $stride i32) (local $x i32) (local $g i32) (local $f i32) (local $k i32)
    (local $p i32) (local $wp i32) (local $o i32) (local $xv v128) (local $xw v128) (local $w v128)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128)
    (local $c0 v128) (local $c1 v128) (local $c2 v128) (local $c3 v128)
    (local $v0 v128) (local $v1 v128) (local $v2 v128) (local $v3 v128)
    (local $w2p i32) (local $K4 i32)
    (local.set $stride (i32.shl (local.get $count) (i32.const 2)))
    (local.set $K4 (i32.shl (local.get $K) (i32.const 2)))
    (local.set $x (i32.const 0))
    (block $xdone
      (loop $xloop
        (br_if $xdone (i32.ge_u (local.get $x) (local.get $stride)))
        ;; logits ← b2 (eight pixels)
        (local.set $k (i32.const 0))
        (local.set $o (i32.add (local.get $out) (local.get $x)))
        (block $kd0 (loop $kl0
          (br_if $kd0 (i32.ge_u (local.get $k) (local.get $K)))
          (local.set $w (f32x4.splat (f32.load (i32.add (local.get $b2) (i32.shl (local.get $k) (i32.const 2))))))
          (v128.store offset=0 (local.get $o) (local.get $w))
          (v128.store offset=16 (local.get $o) (local.get $w))
          (local.set $o (i32.add (local.get $o) (local.get $stride)))
          (local.set $k (i32.add (local.get $k) (i32.const 1)))
          (br $kl0)))
        (local.set $g (i32.const 0))
        (local.set $wp (local.get $w1s))
        (block $gdone
          (loop $gloop
            (br_if $gdone (i32.ge_u (local.get $g) (local.get $G)))
            (local.set $o (i32.add (local.get $b1s) (i32.shl (local.get $g) (i32.const 6))))
            (local.set $a0 (v128.load offset=0 (local.get $o)))
            (local.set $a1 (v128.load offset=16 (local.get $o)))
            (local.set $a2 (v128.load offset=32 (local.get $o)))
            (local.set $a3 (v128.load offset=48 (local.get $o)))
            (local.set $c0 (local.get $a0))
            (local.set $c1 (local.get $a1))
            (local.set $c2 (local.get $a2))
            (local.set $c3 (local.get $a3))
            (local.set $p (i32.add (local.get $in) (local.get $x)))
            (local.set $f (i32.const 0))
            (block $fdone
              (loop $floop
                (br_if $fdone (i32.ge_u (local.get $f) (local.get $F)))
                (local.set $xv (v128.load offset=0 (local.get $p)))
                (local.set $xw (v128.load offset=16 (local.get $p)))
                (local.set $w (v128.load offset=0 (local.get $wp)))
                (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (local.get $xv) (local.get $w))))
                (local.set $c0 (f32x4.add (local.get $c0) (f32x4.mul (local.get $xw) (local.get $w))))
                (local.set $w (v128.load offset=16 (local.get $wp)))
                (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul (local.get $xv) (local.get $w))))
                (local.set $c1 (f32x4.add (local.get $c1) (f32x4.mul (local.get $xw) (local.get $w))))
                (local.set $w (v128.load offset=32 (local.get $wp)))
                (local.set $a2 (f32x4.add (local.get $a2) (f32x4.mul (local.get $xv) (local.get $w))))
                (local.set $c2 (f32x4.add (local.get $c2) (f32x4.mul (local.get $xw) (local.get $w))))
                (local.set $w (v128.load offset=48 (local.get $wp)))
                (local.set $a3 (f32x4.add (local.get $a3) (f32x4.mul (local.get $xv) (local.get $w))))
                (local.set $c3 (f32x4.add (local.get $c3) (f32x4.mul (local.get $xw) (local.get $w))))
                (local.set $p (i32.add (local.get $p) (local.get $stride)))
                (local.set $wp (i32.add (local.get $wp) (i32.const 64)))
                (local.set $f (i32.add (local.get $f) (i32.const 1)))
                (br $floop)))
            (local.set $a0 (f32x4.max (local.get $a0) (v128.const f32x4 0 0 0 0)))
            (local.set $a1 (f32x4.max (local.get $a1) (v128.const f32x4 0 0 0 0)))
            (local.set $a2 (f32x4.max (local.get $a2) (v128.const f32x4 0 0 0 0)))
            (local.set $a3 (f32x4.max (local.get $a3) (v128.const f32x4 0 0 0 0)))
            (local.set $c0 (f32x4.max (local.get $c0) (v128.const f32x4 0 0 0 0)))
            (local.set $c1 (f32x4.max (local.get $c1) (v128.const f32x4 0 0 0 0)))
            (local.set $c2 (f32x4.max (local.get $c2) (v128.const f32x4 0 0 0 0)))
            (local.set $c3 (f32x4.max (local.get $c3) (v128.const f32x4 0 0 0 0)))
            ;; logits[k] += h0·w2[4g,k] + h1·w2[4g+1,k] + h2·w2[4g+2,k] + h3·w2[4g+3,k], added in that order
            (local.set $k (i32.const 0))
            (local.set $o (i32.add (local.get $out) (local.get $x)))
            (local.set $w2p (i32.add (local.get $w2) (i32.shl (i32.mul (local.get $g) (local.get $K)) (i32.const 4))))
            (block $kd (loop $kl
              (br_if $kd (i32.ge_u (local.get $k) (local.get $K)))
              (local.set $v0 (f32x4.splat (f32.load (local.get $w2p))))
              (local.set $v1 (f32x4.splat (f32.load (i32.add (local.get $w2p) (local.get $K4)))))
              (local.set $v2 (f32x4.splat (f32.load (i32.add (local.get $w2p) (i32.shl (local.get $K4) (i32.const 1))))))
              (local.set $v3 (f32x4.splat (f32.load (i32.add (local.get $w2p) (i32.mul (local.get $K4) (i32.const 3))))))
              (v128.store offset=0 (local.get $o)
                (f32x4.add
                  (f32x4.add
                    (f32x4.add
                      (f32x4.add (v128.load offset=0 (local.get $o)) (f32x4.mul (local.get $a0) (local.get $v0)))
                      (f32x4.mul (local.get $a1) (local.get $v1)))
                    (f32x4.mul (local.get $a2) (local.get $v2)))
                  (f32x4.mul (local.get $a3) (local.get $v3))))
              (v128.store offset=16 (local.get $o)
                (f32x4.add
                  (f32x4.add
                    (f32x4.add
                      (f32x4.add (v128.load offset=16 (local.get $o)) (f32x4.mul (local.get $c0) (local.get $v0)))
                      (f32x4.mul (local.get $c1) (local.get $v1)))
                    (f32x4.mul (local.get $c2) (local.get $v2)))
                  (f32x4.mul (local.get $c3) (local.get $v3))))
              (local.set $o (i32.add (local.get $o) (local.get $stride)))
              (local.set $w2p (i32.add (local.get $w2p) (i32.const 4)))
              (local.set $k (i32.add (local.get $k) (i32.const 1)))
              (br $kl)))
            (local.set $g (i32.add (local.get $g) (i32.const 1)))
            (br $gloop)))
        (local.set $x (i32.add (local.get $x) (i32.const 32)))
        (br $xloop))))

  ;; expv(p, n): exp of the n f64 at p (n even), in place, for x ≤ 0 (and NaN, −∞): fdlibm's e_exp.c
  ;; (FreeBSD msun, as V8's base::ieee754::exp, which is Math.exp) two lanes at a time, its branches as
  ;; lane selects — the same operations on the same values, so the same bits as Math.exp on x64
  ;; (checked by a test).
  (func $expv (export "expv") (param $p i32) (param $n i32)
    (local $e i32) (local $x v128)
    (local $hx v128) (local $kf v128) (local $ki v128) (local $hi v128) (local $lo v128) (local $r v128)
    (local $t v128) (local $c v128) (local $y v128) (local $y0 v128) (local $small v128) (local $lowk v128) (local $q v128)
    (local.set $e (i32.add (local.get $p) (i32.shl (local.get $n) (i32.const 3))))
    (block $d (loop $l
      (br_if $d (i32.ge_u (local.get $p) (local.get $e)))
      (local.set $x (v128.load (local.get $p)))
      ;; hx: high word of |x|
      (local.set $hx (v128.and (i64x2.shr_u (local.get $x) (i32.const 32)) (v128.const i64x2 0x7fffffff 0x7fffffff)))
      ;; k = (int)(invln2·x − 0.5), or −1 when |x| < 1.5 ln2 (by the high word)
      (local.set $kf (f64x2.trunc (f64x2.add (f64x2.mul (v128.const f64x2 1.44269504088896338700e+00 1.44269504088896338700e+00) (local.get $x))
                                            (v128.const f64x2 -0.5 -0.5))))
      (local.set $kf (v128.bitselect (v128.const f64x2 -1 -1) (local.get $kf)
                        (i64x2.lt_s (local.get $hx) (v128.const i64x2 0x3FF0A2B2 0x3FF0A2B2))))
      ;; hi = x − k·ln2HI (exact), lo = k·ln2LO, r = hi − lo
      (local.set $hi (f64x2.sub (local.get $x) (f64x2.mul (local.get $kf) (v128.const f64x2 6.93147180369123816490e-01 6.93147180369123816490e-01))))
      (local.set $lo (f64x2.mul (local.get $kf) (v128.const f64x2 1.90821492927058770002e-10 1.90821492927058770002e-10)))
      ;; |x| ≤ 0.5 ln2 (by the high word): k = 0, r = x
      (local.set $small (i64x2.le_s (local.get $hx) (v128.const i64x2 0x3fd62e42 0x3fd62e42)))
      (local.set $r (v128.bitselect (local.get $x) (f64x2.sub (local.get $hi) (local.get $lo)) (local.get $small)))
      (local.set $t (f64x2.mul (local.get $r) (local.get $r)))
      (local.set $c (f64x2.sub (local.get $r)
        (f64x2.mul (local.get $t)
          (f64x2.add (v128.const f64x2 1.66666666666666019037e-01 1.66666666666666019037e-01)
            (f64x2.mul (local.get $t)
              (f64x2.add (v128.const f64x2 -2.77777777770155933842e-03 -2.77777777770155933842e-03)
                (f64x2.mul (local.get $t)
                  (f64x2.add (v128.const f64x2 6.61375632143793436117e-05 6.61375632143793436117e-05)
                    (f64x2.mul (local.get $t)
                      (f64x2.add (v128.const f64x2 -1.65339022054652515390e-06 -1.65339022054652515390e-06)
                        (f64x2.mul (local.get $t) (v128.const f64x2 4.13813679705723846039e-08 4.13813679705723846039e-08))))))))))))
      ;; q = (r·c)/(c − 2); k = 0: 1 − (q − r).  k ≠ 0: y = 1 − ((lo − (r·c)/(2 − c)) − hi) = 1 − ((lo + q) − hi)
      ;; (2 − c = −(c − 2), a/(−b) = −(a/b) and a − (−b) = a + b exactly in IEEE arithmetic: one division for both),
      ;; times 2^k (k < −1021: 2^(k+1000) · 2^−1000)
      (local.set $q (f64x2.div (f64x2.mul (local.get $r) (local.get $c)) (f64x2.sub (local.get $c) (v128.const f64x2 2 2))))
      (local.set $y0 (f64x2.sub (v128.const f64x2 1 1) (f64x2.sub (local.get $q) (local.get $r))))
      (local.set $y (f64x2.sub (v128.const f64x2 1 1) (f64x2.sub (f64x2.add (local.get $lo) (local.get $q)) (local.get $hi))))
      ;; 2^k2 (k2 = k, or k + 1000 when k < −1021: −75 … 0) from the low bits of k2 + 2^52 + 1023 (exact)
      (local.set $lowk (f64x2.lt (local.get $kf) (v128.const f64x2 -1021 -1021)))
      (local.set $ki (v128.bitselect (f64x2.add (local.get $kf) (v128.const f64x2 1000 1000)) (local.get $kf) (local.get $lowk)))
      (local.set $ki (i64x2.shl (f64x2.add (local.get $ki) (v128.const f64x2 4503599627371519 4503599627371519)) (i32.const 52)))
      (local.set $y (f64x2.mul (local.get $y) (local.get $ki)))
      (local.set $y (v128.bitselect (f64x2.mul (local.get $y) (v128.const f64x2 9.33263618503218878990e-302 9.33263618503218878990e-302)) (local.get $y) (local.get $lowk)))
      (local.set $y (v128.bitselect (local.get $y0) (local.get $y) (local.get $small)))
      ;; |x| < 2^−28: 1 + x;  x < −745.13…: 0
      (local.set $y (v128.bitselect (f64x2.add (v128.const f64x2 1 1) (local.get $x)) (local.get $y)
                       (i64x2.lt_s (local.get $hx) (v128.const i64x2 0x3e300000 0x3e300000))))
      (v128.store (local.get $p)
        (v128.bitselect (v128.const f64x2 0 0) (local.get $y)
          (f64x2.lt (local.get $x) (v128.const f64x2 -7.45133219101941108420e+02 -7.45133219101941108420e+02))))
      (local.set $p (i32.add (local.get $p) (i32.const 16)))
      (br $l))))

  ;; classify(out, stride, n, K, area, hasArea, labels, voidK, st, ds): for pixels x = 0 … n−1 of the
  ;; logits planes `out` (K planes of `stride` f32, stride a multiple of 8): labels[x] = 1 + argmax_k
  ;; logit (ties to the lower k), or 0 where hasArea and area[x] = 0 (those pixels are not counted).
  ;; For the counted pixels, the softmax computed as classifyRunStats did in JS (e_k = exp(l_k − l_best),
  ;; sum ascending in k, p1 = 1/sum, in f64): st (5 f64: analysed, uncertain, marginSum, voidLow,
  ;; voidHigh) gets +1, +[p1 < 0.6], +(p1 − second/sum) (added pixel by pixel, in x order),
  ;; +[P(void) ≥ 0.7], +[P(void) ≥ 0.3].  ds: scratch for K planes of `stride` f64.
  (func (export "classify")
    (param $out i32) (param $stride i32) (param $n i32) (param $K i32) (param $area i32) (param $hasArea i32)
    (param $labels i32) (param $voidK i32) (param $st i32) (param $ds i32)
    (local $x i32) (local $k i32) (local $p i32) (local $q i32) (local $s4 i32) (local $s8 i32) (local $b i32)
    (local $bv v128) (local $l v128) (local $m v128) (local $best v128)
    (local $e f64) (local $sum f64) (local $second f64) (local $ev f64) (local $p1 f64) (local $pv f64)
    (local $analysed i32) (local $uncertain i32) (local $vlow i32) (local $vhigh i32) (local $msum f64)
    (local.set $s4 (i32.shl (local.get $stride) (i32.const 2)))
    (local.set $s8 (i32.shl (local.get $stride) (i32.const 3)))
    ;; 1. per pixel pair: argmax (strict >: ties keep the lower index; f32 logits, exact in f64), the
    ;;    labels, and d_k = l_k − l_best (f64) into ds
    (local.set $x (i32.const 0))
    (block $xdone (loop $xloop
      (br_if $xdone (i32.ge_u (local.get $x) (local.get $n)))
      (local.set $p (i32.add (local.get $out) (i32.shl (local.get $x) (i32.const 2))))
      (local.set $bv (f64x2.promote_low_f32x4 (v128.load64_zero (local.get $p))))
      (local.set $best (v128.const i64x2 0 0))
      (local.set $k (i32.const 1))
      (block $ad (loop $al
        (br_if $ad (i32.ge_u (local.get $k) (local.get $K)))
        (local.set $p (i32.add (local.get $p) (local.get $s4)))
        (local.set $l (f64x2.promote_low_f32x4 (v128.load64_zero (local.get $p))))
        (local.set $m (f64x2.gt (local.get $l) (local.get $bv)))
        (local.set $bv (v128.bitselect (local.get $l) (local.get $bv) (local.get $m)))
        (local.set $best (v128.bitselect (i64x2.splat (i64.extend_i32_u (local.get $k))) (local.get $best) (local.get $m)))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $al)))
      (local.set $q (i32.add (local.get $labels) (local.get $x)))
      (i32.store8 offset=0 (local.get $q) (i32.add (i32.wrap_i64 (i64x2.extract_lane 0 (local.get $best))) (i32.const 1)))
      (i32.store8 offset=1 (local.get $q) (i32.add (i32.wrap_i64 (i64x2.extract_lane 1 (local.get $best))) (i32.const 1)))
      (local.set $p (i32.add (local.get $out) (i32.shl (local.get $x) (i32.const 2))))
      (local.set $q (i32.add (local.get $ds) (i32.shl (local.get $x) (i32.const 3))))
      (local.set $k (i32.const 0))
      (block $dd (loop $dl
        (br_if $dd (i32.ge_u (local.get $k) (local.get $K)))
        (v128.store (local.get $q) (f64x2.sub (f64x2.promote_low_f32x4 (v128.load64_zero (local.get $p))) (local.get $bv)))
        (local.set $p (i32.add (local.get $p) (local.get $s4)))
        (local.set $q (i32.add (local.get $q) (local.get $s8)))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $dl)))
      (local.set $x (i32.add (local.get $x) (i32.const 2)))
      (br $xloop)))
    ;; 2. e_k = exp(d_k), all planes in one sweep
    (call $expv (local.get $ds) (i32.mul (local.get $K) (local.get $stride)))
    ;; 3. per pixel, in x order: area, then the sums as the JS loop had them
    (local.set $msum (f64.load offset=16 (local.get $st)))
    (local.set $x (i32.const 0))
    (block $sdone (loop $sloop
      (br_if $sdone (i32.ge_u (local.get $x) (local.get $n)))
      (block $next
        (if (i32.and (local.get $hasArea) (i32.eqz (i32.load8_u (i32.add (local.get $area) (local.get $x)))))
          (then
            (i32.store8 (i32.add (local.get $labels) (local.get $x)) (i32.const 0))
            (br $next)))
        (local.set $b (i32.sub (i32.load8_u (i32.add (local.get $labels) (local.get $x))) (i32.const 1)))
        (local.set $sum (f64.const 0))
        (local.set $second (f64.const 0))
        (local.set $ev (f64.const 0))
        (local.set $q (i32.add (local.get $ds) (i32.shl (local.get $x) (i32.const 3))))
        (local.set $k (i32.const 0))
        (block $kd (loop $kl
          (br_if $kd (i32.ge_u (local.get $k) (local.get $K)))
          (local.set $e (f64.load (local.get $q)))
          (local.set $sum (f64.add (local.get $sum) (local.get $e)))
          (if (i32.and (i32.ne (local.get $k) (local.get $b)) (f64.gt (local.get $e) (local.get $second)))
            (then (local.set $second (local.get $e))))
          (if (i32.eq (local.get $k) (local.get $voidK)) (then (local.set $ev (local.get $e))))
          (local.set $q (i32.add (local.get $q) (local.get $s8)))
          (local.set $k (i32.add (local.get $k) (i32.const 1)))
          (br $kl)))
        (local.set $p1 (f64.div (f64.const 1) (local.get $sum)))
        (local.set $analysed (i32.add (local.get $analysed) (i32.const 1)))
        (local.set $uncertain (i32.add (local.get $uncertain) (f64.lt (local.get $p1) (f64.const 0.6))))
        (local.set $msum (f64.add (local.get $msum) (f64.sub (local.get $p1) (f64.div (local.get $second) (local.get $sum)))))
        (local.set $pv (f64.div (local.get $ev) (local.get $sum)))
        (local.set $vlow (i32.add (local.get $vlow) (f64.ge (local.get $pv) (f64.const 0.7))))
        (local.set $vhigh (i32.add (local.get $vhigh) (f64.ge (local.get $pv) (f64.const 0.3)))))
      (local.set $x (i32.add (local.get $x) (i32.const 1)))
      (br $sloop)))
    (f64.store offset=0 (local.get $st) (f64.add (f64.load offset=0 (local.get $st)) (f64.convert_i32_u (local.get $analysed))))
    (f64.store offset=8 (local.get $st) (f64.add (f64.load offset=8 (local.get $st)) (f64.convert_i32_u (local.get $uncertain))))
    (f64.store offset=16 (local.get $st) (local.get $msum))
    (f64.store offset=24 (local.get $st) (f64.add (f64.load offset=24 (local.get $st)) (f64.convert_i32_u (local.get $vlow))))
    (f64.store offset=32 (local.get $st) (f64.add (f64.load offset=32 (local.get $st)) (f64.convert_i32_u (local.get $vhigh))))))
