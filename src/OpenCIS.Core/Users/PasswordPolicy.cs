namespace OpenCIS.Core.Users;

/// <summary>
/// What a staff password must be: at least <see cref="LengthMin"/> characters, and not one an attacker tries first.
/// Length does most of the work; the rest refuses what length alone lets through: one character repeated
/// (<c>aaaaaaaaaaaa</c>), too few different characters, a run along the keyboard or the alphabet or the digits, the
/// user's own name or the product's, and the commonly used passwords, whose base word is checked with the digits and
/// symbols people add around it stripped (<c>Password2026!</c> is <c>password</c>). No composition rules (NIST SP 800-63B).
/// </summary>
public static class PasswordPolicy
{
    public const int LengthMin = 12;
    public const int LengthMax = 128;
    private const int DistinctMin = 5;

    private static readonly string[] Runs = ["abcdefghijklmnopqrstuvwxyz", "0123456789", "qwertyuiop", "asdfghjkl", "zxcvbnm", "1qaz2wsx3edc4rfv", "qazwsxedcrfv"];

    /// <summary>Common passwords and the base words of common passwords, lower case.</summary>
    private static readonly HashSet<string> Common = new(StringComparer.Ordinal)
    {
        "password", "passw0rd", "p@ssword", "p@ssw0rd", "pass", "passwd", "letmein", "welcome", "welcometo", "admin", "administrator", "root",
        "qwerty", "qwertyuiop", "asdfgh", "asdfghjkl", "zxcvbnm", "iloveyou", "loveyou", "monkey", "dragon", "football", "baseball", "basketball",
        "soccer", "hockey", "sunshine", "princess", "shadow", "master", "superman", "batman", "trustno", "trustnoone", "whatever", "freedom",
        "starwars", "pokemon", "computer", "internet", "secret", "changeme", "changeit", "default", "login", "logmein", "access", "hello",
        "helloworld", "michael", "jennifer", "jordan", "hunter", "ranger", "buster", "thomas", "robert", "daniel", "jessica", "charlie",
        "ashley", "matthew", "andrew", "joshua", "william", "summer", "winter", "spring", "autumn", "january", "february", "march", "april",
        "june", "july", "august", "september", "october", "november", "december", "monday", "friday", "sunday", "cheese", "cookie", "chocolate",
        "butterfly", "flower", "orange", "banana", "apple", "pepper", "ginger", "maggie", "tigger", "killer", "cowboys", "yankees", "eagles",
        "steelers", "packers", "lakers", "mustang", "corvette", "ferrari", "harley", "porsche", "mercedes", "google", "facebook", "microsoft",
        "windows", "linux", "office", "company", "service", "support", "manager", "student", "teacher", "family", "friends", "forever",
        "together", "lovely", "angel", "blessed", "jesus", "jesuschrist", "godisgood", "america", "usa", "letmeinnow", "opensesame",
        "abc", "abcd", "abcdef", "abcdefg", "abcdefgh", "qwe", "qweasd", "qweasdzxc", "zaq", "zaqxsw", "azerty", "test", "testing", "tester",
        "guest", "user", "username", "temp", "temporary", "new", "newpassword", "mypassword", "yourpassword", "nopassword", "security",
        "letmeinplease", "iloveyoutoo", "baby", "babygirl", "sweetheart", "sweetie", "darling", "honey", "love", "lover", "sexy", "hottie",
        "city", "utility", "water", "billing", "cashier", "clerk", "supervisor", "collector", "auditor", "dispatcher", "field", "customer",
        "riverbend", "opencis", "open", "demo", "sample", "example",
    };

    /// <summary>Why the password is refused, or null when it is acceptable.</summary>
    public static string? Problem(string? password, string? userName)
    {
        var text = password ?? "";
        if (text.Length < LengthMin)
        {
            return $"A password needs at least {LengthMin} characters; a short phrase of a few words is easy to remember.";
        }

        if (text.Length > LengthMax)
        {
            return $"A password can be at most {LengthMax} characters.";
        }

        var lower = text.ToLowerInvariant();
        if (lower.Distinct().Count() < DistinctMin)
        {
            return $"A password needs at least {DistinctMin} different characters; repeating a few is guessed at once.";
        }

        if (IsRun(lower))
        {
            return "A password cannot be a run along the keyboard, the alphabet or the digits.";
        }

        var letters = new string(lower.Where(char.IsLetter).ToArray());
        if (!string.IsNullOrWhiteSpace(userName) && userName.Length >= 3 && lower.Contains(userName.ToLowerInvariant(), StringComparison.Ordinal))
        {
            return "A password cannot contain the user name.";
        }

        var core = lower.Trim("0123456789!@#$%^&*()-_=+.,;:?/\\|~`'\" ".ToCharArray());
        if (Common.Contains(lower) || Common.Contains(core) || Common.Contains(letters) || IsRepeatedWord(letters) || IsRepeatedWord(lower))
        {
            return "That password is among the first an attacker tries (a common password, perhaps with digits or symbols added); choose another.";
        }

        return null;
    }

    private static bool IsRun(string text)
    {
        var stripped = new string(text.Where(c => !char.IsWhiteSpace(c)).ToArray());
        foreach (var run in Runs)
        {
            var doubled = run + run;
            var reversed = new string(doubled.Reverse().ToArray());
            if (stripped.Length <= doubled.Length && (doubled.Contains(stripped, StringComparison.Ordinal) || reversed.Contains(stripped, StringComparison.Ordinal)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A common word (or any short stem) typed again and again: "passwordpassword", "abcabcabcabc".</summary>
    private static bool IsRepeatedWord(string text)
    {
        for (var size = 1; size <= text.Length / 2; size++)
        {
            if (text.Length % size == 0 && Enumerable.Range(0, text.Length / size).All(i => string.CompareOrdinal(text, i * size, text, 0, size) == 0))
            {
                return true;
            }
        }

        return false;
    }
}
