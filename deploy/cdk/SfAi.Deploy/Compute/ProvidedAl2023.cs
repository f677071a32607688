namespace SfAi.Deploy.Compute;

/// <summary>
/// Whether a native binary can start on Lambda's <c>provided.al2023</c>: Amazon Linux 2023 ships glibc 2.34, so no
/// required <c>GLIBC_</c> version may be higher, and the loader must find every <c>DT_NEEDED</c> library in the
/// minimal image, which holds glibc's own libraries and libgcc. OpenSSL (<c>libssl.so.3</c>) is in the image and is
/// loaded at run time, not needed at start; ICU is not needed at all (the gateway runs with invariant globalization).
/// </summary>
internal static class ProvidedAl2023
{
    /// <summary>The glibc of Amazon Linux 2023.</summary>
    public static readonly Version Glibc = new(2, 34);

    /// <summary>The libraries a binary may name in <c>DT_NEEDED</c>: glibc's and libgcc's.</summary>
    public static readonly IReadOnlySet<string> Libraries = new HashSet<string>(StringComparer.Ordinal)
    {
        "libc.so.6", "libm.so.6", "libdl.so.2", "libpthread.so.0", "librt.so.1", "libgcc_s.so.1",
        "ld-linux-x86-64.so.2", "ld-linux-aarch64.so.1",
    };

    /// <summary>The problems that would stop <paramref name="binary"/> on <c>provided.al2023</c>; empty when it can start there.</summary>
    public static IReadOnlyList<string> Problems(string binary, bool arm64)
    {
        if (!ElfImage.IsElf(binary))
        {
            return [$"{binary} is not an ELF executable."];
        }
        var image = ElfImage.Read(binary);
        var problems = new List<string>();
        var machine = arm64 ? ElfImage.MachineArm64 : ElfImage.MachineX86_64;
        if (image.Machine != machine)
        {
            problems.Add($"{binary} is built for ELF machine {image.Machine}, not {(arm64 ? "arm64" : "x86_64")} ({machine}).");
        }
        if (image.HighestGlibc is { } glibc && glibc > Glibc)
        {
            var symbols = string.Join(", ", image.VersionNeeds.Where(need => need.Version == $"GLIBC_{glibc}").Select(need => need.Library).Distinct());
            problems.Add(
                $"{binary} requires GLIBC_{glibc} (of {symbols}), but provided.al2023 has glibc {Glibc}: it would not start on Lambda. "
                + "Publish on Amazon Linux 2023 (or with an older glibc), or deploy the JIT build with -c nativeAot=false.");
        }
        var missing = image.Needed.Where(library => !Libraries.Contains(library)).ToList();
        if (missing.Count > 0)
        {
            problems.Add($"{binary} needs {string.Join(", ", missing)} at start, which provided.al2023 does not have (it has: {string.Join(", ", Libraries.Order(StringComparer.Ordinal))}).");
        }
        return problems;
    }
}
