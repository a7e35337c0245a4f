;; Derivative features of the learned segmenter's stack (context.ts diffX / diffY / eigen2, the
;; structure-tensor products, gradient magnitude, LoG) as WebAssembly SIMD over planes in this
;; module's memory.
;;
;; Why WebAssembly: each of these is one short pass of arithmetic per pixel; in JavaScript they were
;; ≈ 19 % of prediction time (1–4 ns per element per pass), in SIMD lanes they take a fraction of it.
;;
;; Bit-identical to the JavaScript they replace: JavaScript computes in double from float32 inputs and
;; rounds once to float32 on the store, so every kernel here promotes to f64 (two f64x2 lanes), applies
;; the same operations in the same order (no fused multiply-add: WebAssembly has none implicitly) and
;; demotes (round to nearest even, as a Float32Array store). The one exception is the structure-tensor
;; products gx², gx·gy, gy²: the exact product of two float32 values rounded once to float32 is what
;; f32 multiplication gives, so those use f32x4.
;;
;; Addresses are byte addresses, counts are floats; outputs must not overlap inputs (derivatives.ts
;; copies when they would). Odd tails are done one float at a time: nothing outside a plane is read
;; or written.
(module
  (memory (export "memory") 1)

  ;; d[k] = f32((f64(c[k]) − f64(a[k])) · s), k < n.
  (func $sub (export "sub") (param $a i32) (param $c i32) (param $d i32) (param $n i32) (param $s f64)
    (local $i i32) (local $end i32) (local $sv v128)
    (local.set $sv (f64x2.splat (local.get $s)))
    (local.set $end (i32.shl (i32.and (local.get $n) (i32.const -2)) (i32.const 2)))
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        (v128.store64_lane 0 (i32.add (local.get $d) (local.get $i))
          (f32x4.demote_f64x2_zero
            (f64x2.mul
              (f64x2.sub
                (f64x2.promote_low_f32x4 (v128.load64_zero (i32.add (local.get $c) (local.get $i))))
                (f64x2.promote_low_f32x4 (v128.load64_zero (i32.add (local.get $a) (local.get $i)))))
              (local.get $sv))))
        (local.set $i (i32.add (local.get $i) (i32.const 8)))
        (br $l)))
    (if (i32.and (local.get $n) (i32.const 1))
      (then
        (f32.store (i32.add (local.get $d) (local.get $end))
          (f32.demote_f64
            (f64.mul
              (f64.sub
                (f64.promote_f32 (f32.load (i32.add (local.get $c) (local.get $end))))
                (f64.promote_f32 (f32.load (i32.add (local.get $a) (local.get $end)))))
              (local.get $s)))))))

  ;; numpy.gradient along x of the w×h plane at s into d (w ≥ 2): (s[i+1] − s[i−1]) · 0.5 inside,
  ;; s[o+1] − s[o] and s[e] − s[e−1] at each row's first and last pixel. The inner formula runs over
  ;; the whole plane at once; the row ends are then overwritten.
  (func (export "diffx") (param $s i32) (param $d i32) (param $w i32) (param $h i32)
    (local $n i32) (local $o i32) (local $e i32) (local $row i32) (local $end i32)
    (local.set $n (i32.mul (local.get $w) (local.get $h)))
    (if (i32.gt_u (local.get $n) (i32.const 2))
      (then
        (call $sub (local.get $s) (i32.add (local.get $s) (i32.const 8)) (i32.add (local.get $d) (i32.const 4))
          (i32.sub (local.get $n) (i32.const 2)) (f64.const 0.5))))
    (local.set $row (i32.shl (local.get $w) (i32.const 2)))
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $o) (local.get $end)))
        (local.set $e (i32.add (local.get $o) (i32.sub (local.get $row) (i32.const 4))))
        (f32.store (i32.add (local.get $d) (local.get $o))
          (f32.demote_f64
            (f64.sub
              (f64.promote_f32 (f32.load (i32.add (local.get $s) (i32.add (local.get $o) (i32.const 4)))))
              (f64.promote_f32 (f32.load (i32.add (local.get $s) (local.get $o)))))))
        (f32.store (i32.add (local.get $d) (local.get $e))
          (f32.demote_f64
            (f64.sub
              (f64.promote_f32 (f32.load (i32.add (local.get $s) (local.get $e))))
              (f64.promote_f32 (f32.load (i32.add (local.get $s) (i32.sub (local.get $e) (i32.const 4))))))))
        (local.set $o (i32.add (local.get $o) (local.get $row)))
        (br $l))))

  ;; numpy.gradient along y of the w×h plane at s into d (h ≥ 2): one-sided first and last rows,
  ;; (s[i+w] − s[i−w]) · 0.5 for the rows between (one run).
  (func (export "diffy") (param $s i32) (param $d i32) (param $w i32) (param $h i32)
    (local $row i32) (local $last i32)
    (local.set $row (i32.shl (local.get $w) (i32.const 2)))
    (local.set $last (i32.mul (i32.sub (local.get $h) (i32.const 1)) (local.get $row)))
    (call $sub (local.get $s) (i32.add (local.get $s) (local.get $row)) (local.get $d) (local.get $w) (f64.const 1))
    (if (i32.gt_u (local.get $h) (i32.const 2))
      (then
        (call $sub (local.get $s) (i32.add (local.get $s) (i32.shl (local.get $row) (i32.const 1))) (i32.add (local.get $d) (local.get $row))
          (i32.mul (local.get $w) (i32.sub (local.get $h) (i32.const 2))) (f64.const 0.5))))
    (call $sub (i32.add (local.get $s) (i32.sub (local.get $last) (local.get $row))) (i32.add (local.get $s) (local.get $last))
      (i32.add (local.get $d) (local.get $last)) (local.get $w) (f64.const 1)))

  ;; Eigenvalues of [[a, b], [b, c]], larger first, times sc: m = (a + c) · 0.5, e = (a − c) · 0.5,
  ;; r = sqrt(e·e + b·b), l1 = (m + r) · sc, l2 = (m − r) · sc, all in f64; i < n.
  (func (export "eigen2") (param $a i32) (param $b i32) (param $c i32) (param $l1 i32) (param $l2 i32) (param $n i32) (param $sc f64)
    (local $i i32) (local $end i32) (local $s v128) (local $h v128)
    (local $va v128) (local $vb v128) (local $vc v128) (local $m v128) (local $e v128) (local $r v128)
    (local $fa f64) (local $fb f64) (local $fc f64) (local $fm f64) (local $fe f64) (local $fr f64)
    (local.set $s (f64x2.splat (local.get $sc)))
    (local.set $h (f64x2.splat (f64.const 0.5)))
    (local.set $end (i32.shl (i32.and (local.get $n) (i32.const -2)) (i32.const 2)))
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $va (f64x2.promote_low_f32x4 (v128.load64_zero (i32.add (local.get $a) (local.get $i)))))
        (local.set $vb (f64x2.promote_low_f32x4 (v128.load64_zero (i32.add (local.get $b) (local.get $i)))))
        (local.set $vc (f64x2.promote_low_f32x4 (v128.load64_zero (i32.add (local.get $c) (local.get $i)))))
        (local.set $m (f64x2.mul (f64x2.add (local.get $va) (local.get $vc)) (local.get $h)))
        (local.set $e (f64x2.mul (f64x2.sub (local.get $va) (local.get $vc)) (local.get $h)))
        (local.set $r (f64x2.sqrt (f64x2.add (f64x2.mul (local.get $e) (local.get $e)) (f64x2.mul (local.get $vb) (local.get $vb)))))
        (v128.store64_lane 0 (i32.add (local.get $l1) (local.get $i))
          (f32x4.demote_f64x2_zero (f64x2.mul (f64x2.add (local.get $m) (local.get $r)) (local.get $s))))
        (v128.store64_lane 0 (i32.add (local.get $l2) (local.get $i))
          (f32x4.demote_f64x2_zero (f64x2.mul (f64x2.sub (local.get $m) (local.get $r)) (local.get $s))))
        (local.set $i (i32.add (local.get $i) (i32.const 8)))
        (br $l)))
    (if (i32.and (local.get $n) (i32.const 1))
      (then
        (local.set $fa (f64.promote_f32 (f32.load (i32.add (local.get $a) (local.get $end)))))
        (local.set $fb (f64.promote_f32 (f32.load (i32.add (local.get $b) (local.get $end)))))
        (local.set $fc (f64.promote_f32 (f32.load (i32.add (local.get $c) (local.get $end)))))
        (local.set $fm (f64.mul (f64.add (local.get $fa) (local.get $fc)) (f64.const 0.5)))
        (local.set $fe (f64.mul (f64.sub (local.get $fa) (local.get $fc)) (f64.const 0.5)))
        (local.set $fr (f64.sqrt (f64.add (f64.mul (local.get $fe) (local.get $fe)) (f64.mul (local.get $fb) (local.get $fb)))))
        (f32.store (i32.add (local.get $l1) (local.get $end))
          (f32.demote_f64 (f64.mul (f64.add (local.get $fm) (local.get $fr)) (local.get $sc))))
        (f32.store (i32.add (local.get $l2) (local.get $end))
          (f32.demote_f64 (f64.mul (f64.sub (local.get $fm) (local.get $fr)) (local.get $sc)))))))

  ;; Structure-tensor entries xx = gx², xy = gx·gy, yy = gy² (f32 products: see the header); i < n.
  (func (export "products") (param $gx i32) (param $gy i32) (param $xx i32) (param $xy i32) (param $yy i32) (param $n i32)
    (local $i i32) (local $end i32) (local $all i32) (local $a v128) (local $b v128) (local $fa f32) (local $fb f32)
    (local.set $end (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2)))
    (local.set $all (i32.shl (local.get $n) (i32.const 2)))
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $a (v128.load (i32.add (local.get $gx) (local.get $i))))
        (local.set $b (v128.load (i32.add (local.get $gy) (local.get $i))))
        (v128.store (i32.add (local.get $xx) (local.get $i)) (f32x4.mul (local.get $a) (local.get $a)))
        (v128.store (i32.add (local.get $xy) (local.get $i)) (f32x4.mul (local.get $a) (local.get $b)))
        (v128.store (i32.add (local.get $yy) (local.get $i)) (f32x4.mul (local.get $b) (local.get $b)))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $l)))
    (block $tdone
      (loop $t
        (br_if $tdone (i32.ge_u (local.get $i) (local.get $all)))
        (local.set $fa (f32.load (i32.add (local.get $gx) (local.get $i))))
        (local.set $fb (f32.load (i32.add (local.get $gy) (local.get $i))))
        (f32.store (i32.add (local.get $xx) (local.get $i)) (f32.mul (local.get $fa) (local.get $fa)))
        (f32.store (i32.add (local.get $xy) (local.get $i)) (f32.mul (local.get $fa) (local.get $fb)))
        (f32.store (i32.add (local.get $yy) (local.get $i)) (f32.mul (local.get $fb) (local.get $fb)))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $t))))

  ;; o = sqrt(gx·gx + gy·gy) · s in f64; i < n.
  (func (export "gradmag") (param $gx i32) (param $gy i32) (param $o i32) (param $n i32) (param $s f64)
    (local $i i32) (local $end i32) (local $sv v128) (local $a v128) (local $b v128) (local $fa f64) (local $fb f64)
    (local.set $sv (f64x2.splat (local.get $s)))
    (local.set $end (i32.shl (i32.and (local.get $n) (i32.const -2)) (i32.const 2)))
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $a (f64x2.promote_low_f32x4 (v128.load64_zero (i32.add (local.get $gx) (local.get $i)))))
        (local.set $b (f64x2.promote_low_f32x4 (v128.load64_zero (i32.add (local.get $gy) (local.get $i)))))
        (v128.store64_lane 0 (i32.add (local.get $o) (local.get $i))
          (f32x4.demote_f64x2_zero
            (f64x2.mul (f64x2.sqrt (f64x2.add (f64x2.mul (local.get $a) (local.get $a)) (f64x2.mul (local.get $b) (local.get $b)))) (local.get $sv))))
        (local.set $i (i32.add (local.get $i) (i32.const 8)))
        (br $l)))
    (if (i32.and (local.get $n) (i32.const 1))
      (then
        (local.set $fa (f64.promote_f32 (f32.load (i32.add (local.get $gx) (local.get $end)))))
        (local.set $fb (f64.promote_f32 (f32.load (i32.add (local.get $gy) (local.get $end)))))
        (f32.store (i32.add (local.get $o) (local.get $end))
          (f32.demote_f64
            (f64.mul (f64.sqrt (f64.add (f64.mul (local.get $fa) (local.get $fa)) (f64.mul (local.get $fb) (local.get $fb)))) (local.get $s)))))))

  ;; o = (gxx + gyy) · s in f64 (the LoG; s = σ²); i < n.
  (func (export "lap") (param $gxx i32) (param $gyy i32) (param $o i32) (param $n i32) (param $s f64)
    (local $i i32) (local $end i32) (local $sv v128)
    (local.set $sv (f64x2.splat (local.get $s)))
    (local.set $end (i32.shl (i32.and (local.get $n) (i32.const -2)) (i32.const 2)))
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        (v128.store64_lane 0 (i32.add (local.get $o) (local.get $i))
          (f32x4.demote_f64x2_zero
            (f64x2.mul
              (f64x2.add
                (f64x2.promote_low_f32x4 (v128.load64_zero (i32.add (local.get $gxx) (local.get $i))))
                (f64x2.promote_low_f32x4 (v128.load64_zero (i32.add (local.get $gyy) (local.get $i)))))
              (local.get $sv))))
        (local.set $i (i32.add (local.get $i) (i32.const 8)))
        (br $l)))
    (if (i32.and (local.get $n) (i32.const 1))
      (then
        (f32.store (i32.add (local.get $o) (local.get $end))
          (f32.demote_f64
            (f64.mul
              (f64.add
                (f64.promote_f32 (f32.load (i32.add (local.get $gxx) (local.get $end))))
                (f64.promote_f32 (f32.load (i32.add (local.get $gyy) (local.get $end)))))
              (local.get $s))))))))
