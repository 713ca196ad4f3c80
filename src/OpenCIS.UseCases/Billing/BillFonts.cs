using PdfSharp.Fonts;
using OpenCIS.Storage.Billing;
using OpenCIS.Storage;

namespace OpenCIS.UseCases.Billing;

/// <summary>
/// PDFsharp finds no system fonts on Linux; it asks a resolver. This one serves the Liberation fonts
/// shipped inside this assembly (SIL OFL 1.1, see Billing/Fonts/LICENSE-OFL.txt), so a bill renders
/// the same on a fresh machine with only the .NET SDK. Any family it does not know gets Liberation Sans.
/// </summary>
public sealed class BillFonts : IFontResolver
{
    public const string Sans = "Liberation Sans";
    public const string Mono = "Liberation Mono";

    private const string SansRegular = "LiberationSans-Regular";
    private const string SansBold = "LiberationSans-Bold";
    private const string MonoRegular = "LiberationMono-Regular";

    private static readonly BillFonts Instance = new();
    private static readonly Lock Gate = new();
    private readonly Dictionary<string, byte[]> faces = new(StringComparer.Ordinal);

    private BillFonts()
    {
    }

    /// <summary>
    /// Installs the resolver. PDFsharp keeps one per process and asks that it be set before any font is
    /// used, or set again only to the same instance: every caller goes through here, so it always is.
    /// </summary>
    public static void EnsureInstalled()
    {
        lock (Gate)
        {
            if (!ReferenceEquals(GlobalFontSettings.FontResolver, Instance))
            {
                GlobalFontSettings.FontResolver = Instance;
            }
        }
    }

    public FontResolverInfo? ResolveTypeface(string familyName, bool bold, bool italic)
    {
        // Italic is simulated by PDFsharp from the upright face; bills use none.
        if (familyName.Equals(Mono, StringComparison.OrdinalIgnoreCase))
        {
            return new FontResolverInfo(MonoRegular, bold, italic);
        }

        return bold ? new FontResolverInfo(SansBold, false, italic) : new FontResolverInfo(SansRegular, false, italic);
    }

    public byte[]? GetFont(string faceName)
    {
        lock (faces)
        {
            if (faces.TryGetValue(faceName, out var cached))
            {
                return cached;
            }

            using var stream = typeof(BillFonts).Assembly.GetManifestResourceStream($"OpenCIS.Fonts.{faceName}.ttf")
                ?? throw new InvalidOperationException($"The font {faceName} is not embedded in {typeof(BillFonts).Assembly.GetName().Name}.");
            var bytes = new byte[stream.Length];
            stream.ReadExactly(bytes);
            faces[faceName] = bytes;
            return bytes;
        }
    }
}
