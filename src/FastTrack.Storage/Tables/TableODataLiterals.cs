using System.Globalization;

namespace FastTrack.Storage.Tables;

/// <summary>OData literals for query filters and entity keys, so no caller concatenates user text into OData.</summary>
internal static class TableODataLiterals
{
    public static string Format(object? value) => value switch
    {
        null => "null",
        string text => Quote(text),
        bool flag => flag ? "true" : "false",
        int number => number.ToString(CultureInfo.InvariantCulture),
        long number => number.ToString(CultureInfo.InvariantCulture) + "L",
        double number => DoubleLiteral(number),
        DateTimeOffset time => $"datetime'{TableEntityJson.FormatDateTime(time)}'",
        Guid id => $"guid'{id:D}'",
        byte[] bytes => $"X'{Convert.ToHexString(bytes)}'",
        _ => throw new ArgumentException(
            $"A {value.GetType().Name} cannot be a table query value. Use string, bool, int, long, double, " +
            "DateTimeOffset, Guid or byte[]."),
    };

    /// <summary>A double keeps a decimal point even when whole, so OData does not read it as an Int32.</summary>
    private static string DoubleLiteral(double number)
    {
        var text = number.ToString("R", CultureInfo.InvariantCulture);
        return text.All(c => char.IsAsciiDigit(c) || c == '-') ? text + ".0" : text;
    }

    /// <summary>A quoted string literal: an embedded quote is doubled, as OData escapes it.</summary>
    private static string Quote(string text) => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";
}
