/// Writes a `Double` the way ECMAScript's `Number.prototype.toString` does, as RFC 8785 §3.2.2.3 requires.
///
/// The shortest digits that read back as the same `Double` come from the standard library's `description` (Swift's
/// own shortest-round-trip printer, no libm); this type only re-lays them out by the ECMAScript rules (ECMA-262
/// §6.1.6.1.20, `Number::toString`): with `k` significant digits `s` and decimal exponent `n` (value = 0.s × 10ⁿ),
/// - `k ≤ n ≤ 21`: the digits, then `n − k` zeros (`1e20` → `100000000000000000000`);
/// - `0 < n ≤ 21`: the digits with a point after the `n`-th (`1234.5`);
/// - `−6 < n ≤ 0`: `0.`, `−n` zeros, the digits (`0.000001`);
/// - otherwise exponent form: one digit, the rest after a point if any, `e`, the sign, `n − 1` (`1e+21`, `1.5e-7`).
///
/// Zero of either sign prints `0`; negative numbers get a leading `-`.
enum ECMAScriptNumberFormatter {
    /// Appends the ECMAScript text of a finite `value` to `output`.
    ///
    /// - Parameters:
    ///   - value: A finite number (callers handle NaN and the infinities).
    ///   - output: The UTF-8 bytes to append to.
    static func append(_ value: Double, to output: inout [UInt8]) {
        precondition(value.isFinite, "ECMAScript number text exists only for finite values")
        if value == 0 {
            output.append(UInt8(ascii: "0"))
            return
        }
        if value < 0 { output.append(UInt8(ascii: "-")) }
        var digits: [UInt8] = []  // significant digits, as ASCII, without leading or trailing zeros
        digits.reserveCapacity(17)
        var pointPosition = 0  // digits before the decimal point in `description`'s mantissa
        var sawPoint = false
        var exponent = 0
        var exponentSign = 1
        var inExponent = false
        for byte in value.magnitude.description.utf8 {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                if inExponent {
                    exponent = exponent * 10 + Int(byte - UInt8(ascii: "0"))
                } else {
                    if digits.isEmpty && byte == UInt8(ascii: "0") {
                        // A leading zero: before the point it is not a digit at all; after it, it shifts the point.
                        if sawPoint { pointPosition -= 1 }
                        continue
                    }
                    digits.append(byte)
                    if !sawPoint { pointPosition += 1 }
                }
            case UInt8(ascii: "."): sawPoint = true
            case UInt8(ascii: "e"), UInt8(ascii: "E"): inExponent = true
            case UInt8(ascii: "-"): exponentSign = -1
            default: break  // "+"
            }
        }
        while digits.last == UInt8(ascii: "0") { digits.removeLast() }
        let k = digits.count
        let n = pointPosition + exponentSign * exponent
        if k <= n && n <= 21 {
            output += digits
            output += repeatElement(UInt8(ascii: "0"), count: n - k)
        } else if 0 < n && n <= 21 {
            output += digits[0..<n]
            output.append(UInt8(ascii: "."))
            output += digits[n...]
        } else if -6 < n && n <= 0 {
            output.append(UInt8(ascii: "0"))
            output.append(UInt8(ascii: "."))
            output += repeatElement(UInt8(ascii: "0"), count: -n)
            output += digits
        } else {
            output.append(digits[0])
            if k > 1 {
                output.append(UInt8(ascii: "."))
                output += digits[1...]
            }
            output.append(UInt8(ascii: "e"))
            output.append(n - 1 < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+"))
            appendDecimal(UInt64((n - 1).magnitude), to: &output)
        }
    }

    /// Appends the decimal digits of `value` to `output`.
    ///
    /// - Parameters:
    ///   - value: A non-negative integer.
    ///   - output: The UTF-8 bytes to append to.
    static func appendDecimal(_ value: UInt64, to output: inout [UInt8]) {
        if value < 10 {
            output.append(UInt8(ascii: "0") + UInt8(value))
            return
        }
        var scratch: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes: room for UInt64.max's 20 digits
        withUnsafeMutableBytes(of: &scratch) { buffer in
            var remaining = value
            var index = buffer.count
            while remaining > 0 {
                index -= 1
                buffer[index] = UInt8(ascii: "0") + UInt8(remaining % 10)
                remaining /= 10
            }
            output.append(contentsOf: buffer[index...])
        }
    }
}
