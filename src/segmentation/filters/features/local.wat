;; Neighbourhood statistics for the learned segmenter's feature stack (extrema.ts, kuwahara.ts), as
;; WebAssembly SIMD: four float32 lanes at a time over planes in this module's memory.
;;
;; Why WebAssembly: these passes are a handful of loads, adds or min/max per pixel; in JavaScript on
;; the target machine each such pass over a 584² tile took ≈ 1.5 ms (the two features cost as much as
;; the rest of the stack), four lanes in WebAssembly take a fraction of that. Every result is a fixed
;; sequence of float32 operations per pixel, independent of where a plane starts, so a tile's values
;; equal the whole image's.
;;
;; Addresses are byte addresses; `n` counts floats and is processed in blocks of four, so up to three
;; floats past the end are read and written: the caller (local.ts) leaves 64 bytes of slack after
;; every plane.
(module
  (memory (export "memory") 1)

  ;; lo[i] = min(a[i], b[i]); hi[i] = max(c[i], d[i]), i < n.
  (func (export "minmax2")
    (param $a i32) (param $b i32) (param $c i32) (param $d i32) (param $lo i32) (param $hi i32) (param $n i32)
    (local $i i32) (local $end i32)
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    (block $done
      (loop $l
        (br_if $done (i32.ge_s (local.get $i) (local.get $end)))
        (v128.store (i32.add (local.get $lo) (local.get $i))
          (f32x4.min (v128.load (i32.add (local.get $a) (local.get $i))) (v128.load (i32.add (local.get $b) (local.get $i)))))
        (v128.store (i32.add (local.get $hi) (local.get $i))
          (f32x4.max (v128.load (i32.add (local.get $c) (local.get $i))) (v128.load (i32.add (local.get $d) (local.get $i)))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $l))))

  ;; o[i] = a[i]², i < n.
  (func (export "square") (param $a i32) (param $o i32) (param $n i32)
    (local $i i32) (local $end i32) (local $v v128)
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    (block $done
      (loop $l
        (br_if $done (i32.ge_s (local.get $i) (local.get $end)))
        (local.set $v (v128.load (i32.add (local.get $a) (local.get $i))))
        (v128.store (i32.add (local.get $o) (local.get $i)) (f32x4.mul (local.get $v) (local.get $v)))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $l))))

  ;; o[i] = (…((a[i] + a[i+s]) + a[i+2s]) … + a[i+count·s]), s = `step` bytes, i < n: a box sum of
  ;; count + 1 samples along one axis, always added in this order.
  (func (export "boxsum") (param $a i32) (param $o i32) (param $n i32) (param $step i32) (param $count i32)
    (local $i i32) (local $end i32) (local $acc v128) (local $p i32) (local $d i32)
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    (block $done
      (loop $l
        (br_if $done (i32.ge_s (local.get $i) (local.get $end)))
        (local.set $p (i32.add (local.get $a) (local.get $i)))
        (local.set $acc (v128.load (local.get $p)))
        (local.set $d (i32.const 0))
        (block $dd
          (loop $dl
            (br_if $dd (i32.ge_s (local.get $d) (local.get $count)))
            (local.set $p (i32.add (local.get $p) (local.get $step)))
            (local.set $acc (f32x4.add (local.get $acc) (v128.load (local.get $p))))
            (local.set $d (i32.add (local.get $d) (i32.const 1)))
            (br $dl)))
        (v128.store (i32.add (local.get $o) (local.get $i)) (local.get $acc))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $l))))

  ;; Kuwahara selection. bs, bq: box sums of values and squares, (r+1)² samples with the box's top-left
  ;; corner at each position, rows of W2 floats (the image padded by r on every side). For output pixel
  ;; (x, y) of the w×h image the four quadrants start at (x, y), (x+r, y), (x, y+r), (x+r, y+r);
  ;; out[y·w + x] = the mean (sum · inv) of the first quadrant with the smallest variance
  ;; (sq · inv − mean²), ties to the earlier quadrant in that order.
  (func (export "kuwahara")
    (param $bs i32) (param $bq i32) (param $out i32) (param $w i32) (param $h i32) (param $W2 i32) (param $r i32) (param $inv f32)
    (local $y i32) (local $x i32) (local $row i32) (local $p i32) (local $o i32)
    (local $iv v128) (local $m v128) (local $v v128) (local $bm v128) (local $bv v128) (local $lt v128)
    (local $dx i32) (local $dy i32) (local $q i32) (local $off i32)
    (local.set $iv (f32x4.splat (local.get $inv)))
    (local.set $dx (i32.shl (local.get $r) (i32.const 2)))
    (local.set $dy (i32.shl (i32.mul (local.get $r) (local.get $W2)) (i32.const 2)))
    (block $ydone
      (loop $yl
        (br_if $ydone (i32.ge_s (local.get $y) (local.get $h)))
        (local.set $row (i32.shl (i32.mul (local.get $y) (local.get $W2)) (i32.const 2)))
        (local.set $o (i32.add (local.get $out) (i32.shl (i32.mul (local.get $y) (local.get $w)) (i32.const 2))))
        (local.set $x (i32.const 0))
        (block $xdone
          (loop $xl
            (br_if $xdone (i32.ge_s (local.get $x) (local.get $w)))
            (local.set $p (i32.add (local.get $row) (i32.shl (local.get $x) (i32.const 2))))
            (local.set $bm (f32x4.mul (v128.load (i32.add (local.get $bs) (local.get $p))) (local.get $iv)))
            (local.set $bv (f32x4.sub (f32x4.mul (v128.load (i32.add (local.get $bq) (local.get $p))) (local.get $iv))
                                      (f32x4.mul (local.get $bm) (local.get $bm))))
            (local.set $q (i32.const 1))
            (block $qdone
              (loop $ql
                (br_if $qdone (i32.ge_s (local.get $q) (i32.const 4)))
                (local.set $off (i32.add
                  (select (local.get $dx) (i32.const 0) (i32.and (local.get $q) (i32.const 1)))
                  (select (local.get $dy) (i32.const 0) (i32.and (local.get $q) (i32.const 2)))))
                (local.set $m (f32x4.mul (v128.load (i32.add (local.get $bs) (i32.add (local.get $p) (local.get $off)))) (local.get $iv)))
                (local.set $v (f32x4.sub (f32x4.mul (v128.load (i32.add (local.get $bq) (i32.add (local.get $p) (local.get $off)))) (local.get $iv))
                                         (f32x4.mul (local.get $m) (local.get $m))))
                (local.set $lt (f32x4.lt (local.get $v) (local.get $bv)))
                (local.set $bv (v128.bitselect (local.get $v) (local.get $bv) (local.get $lt)))
                (local.set $bm (v128.bitselect (local.get $m) (local.get $bm) (local.get $lt)))
                (local.set $q (i32.add (local.get $q) (i32.const 1)))
                (br $ql)))
            (v128.store (local.get $o) (local.get $bm))
            (local.set $o (i32.add (local.get $o) (i32.const 16)))
            (local.set $x (i32.add (local.get $x) (i32.const 4)))
            (br $xl)))
        (local.set $y (i32.add (local.get $y) (i32.const 1)))
        (br $yl))))
)
