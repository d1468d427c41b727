extension JSONTextParser {
    /// Parses a number at `-` or a digit.
    mutating func parseNumber() throws(JSONParsingError) -> JSONValue {
        let start = index
        let negative = bytes[index] == ASCII.minus
        if negative { index += 1 }
        guard index < bytes.count, isDigit(bytes[index]) else {
            throw unexpected(index < bytes.count ? bytes[index] : nil, expected: "a digit after '-'")
        }
        // Accumulate the integer part as a negative magnitude so that Int64.min fits.
        var magnitude: Int64 = 0
        var overflow = false
        if bytes[index] == ASCII.zero {
            index += 1
            if index < bytes.count, isDigit(bytes[index]) {
                index -= 1
                throw error(.invalidNumber, "leading zeros are not allowed in numbers")
            }
        } else {
            while index < bytes.count, isDigit(bytes[index]) {
                let digit = Int64(bytes[index] - ASCII.zero)
                if !overflow {
                    let (shifted, o1) = magnitude.multipliedReportingOverflow(by: 10)
                    let (next, o2) = shifted.subtractingReportingOverflow(digit)
                    if o1 || o2 { overflow = true } else { magnitude = next }
                }
                index += 1
            }
        }
        var isInteger = true
        if index < bytes.count, bytes[index] == ASCII.dot {
            isInteger = false
            index += 1
            guard index < bytes.count, isDigit(bytes[index]) else {
                throw unexpected(index < bytes.count ? bytes[index] : nil, expected: "a digit after the decimal point")
            }
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        }
        if index < bytes.count, bytes[index] == ASCII.lowerE || bytes[index] == ASCII.upperE {
            isInteger = false
            index += 1
            if index < bytes.count, bytes[index] == ASCII.plus || bytes[index] == ASCII.minus { index += 1 }
            guard index < bytes.count, isDigit(bytes[index]) else {
                throw unexpected(index < bytes.count ? bytes[index] : nil, expected: "a digit in the exponent")
            }
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        }
        if isInteger, !overflow {
            if !negative {
                if magnitude != .min { return .integer(-magnitude) }
            } else if magnitude == 0 {
                return .number(-0.0)
            } else {
                return .integer(magnitude)
            }
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        guard let number = Double(text), number.isFinite else {
            let end = index
            index = start
            defer { index = end }
            throw error(.invalidNumber, "number \(text) is out of range for a 64-bit floating-point value")
        }
        return .number(number)
    }

    func isDigit(_ byte: UInt8) -> Bool { byte >= ASCII.zero && byte <= ASCII.nine }
}
