using System.Buffers.Binary;
using System.Text;

namespace SfAi.Deploy.Compute;

/// <summary>
/// What the dynamic loader needs to start a 64-bit little-endian ELF executable (x86_64 and arm64 Linux): its
/// machine, the shared libraries it names (<c>DT_NEEDED</c>) and the symbol versions it requires of each
/// (<c>.gnu.version_r</c>, what <c>objdump -T</c> shows as <c>GLIBC_2.34</c>). Read from the file itself, so the
/// check needs no binutils on the deploying machine.
/// </summary>
internal sealed class ElfImage
{
    public const ushort MachineX86_64 = 62;
    public const ushort MachineArm64 = 183;

    private const uint SectionDynamic = 6;
    private const uint SectionVersionNeeds = 0x6ffffffe;
    private const long TagNeeded = 1;

    private static ReadOnlySpan<byte> Magic => [0x7F, (byte)'E', (byte)'L', (byte)'F'];

    private ElfImage(ushort machine, IReadOnlyList<string> needed, IReadOnlyList<(string Library, string Version)> versionNeeds)
    {
        Machine = machine;
        Needed = needed;
        VersionNeeds = versionNeeds;
    }

    /// <summary><c>e_machine</c>: 62 for x86_64, 183 for arm64.</summary>
    public ushort Machine { get; }

    /// <summary>The shared libraries the loader must find before <c>main</c> (<c>readelf -d</c>, <c>NEEDED</c>).</summary>
    public IReadOnlyList<string> Needed { get; }

    /// <summary>Each version required of a library: (<c>libc.so.6</c>, <c>GLIBC_2.34</c>), …</summary>
    public IReadOnlyList<(string Library, string Version)> VersionNeeds { get; }

    /// <summary>The highest <c>GLIBC_x.y</c> version required, or null when none is.</summary>
    public Version? HighestGlibc => VersionNeeds
        .Select(need => need.Version.StartsWith("GLIBC_", StringComparison.Ordinal)
            && System.Version.TryParse(need.Version["GLIBC_".Length..], out var version) ? version : null)
        .Where(version => version is not null)
        .Max();

    /// <summary>True when <paramref name="path"/> starts with the ELF magic bytes.</summary>
    public static bool IsElf(string path)
    {
        Span<byte> magic = stackalloc byte[4];
        using var file = File.OpenRead(path);
        return file.ReadAtLeast(magic, 4, throwOnEndOfStream: false) == 4 && magic.SequenceEqual(Magic);
    }

    /// <exception cref="InvalidDataException">The file is not a 64-bit little-endian ELF image.</exception>
    public static ElfImage Read(string path) => Parse(File.ReadAllBytes(path), path);

    /// <exception cref="InvalidDataException">The bytes are not a 64-bit little-endian ELF image.</exception>
    public static ElfImage Parse(ReadOnlySpan<byte> image, string name)
    {
        if (image.Length < 64 || !image[..4].SequenceEqual(Magic))
        {
            throw new InvalidDataException($"{name} is not an ELF executable.");
        }
        if (image[4] != 2 || image[5] != 1)
        {
            throw new InvalidDataException($"{name} is not a 64-bit little-endian ELF executable.");
        }
        var machine = U16(image, 0x12);
        var sectionsAt = checked((int)U64(image, 0x28));
        var sectionSize = U16(image, 0x3A);
        var sectionCount = U16(image, 0x3C);
        var sections = new List<Section>(sectionCount);
        for (var i = 0; i < sectionCount; i++)
        {
            sections.Add(Section.At(image, sectionsAt + (i * sectionSize)));
        }

        var needed = new List<string>();
        var versionNeeds = new List<(string, string)>();
        foreach (var section in sections)
        {
            if (section.Type == SectionDynamic)
            {
                var strings = sections[(int)section.Link];
                for (var entry = section.Offset; entry + 16 <= section.Offset + section.Size; entry += 16)
                {
                    var tag = (long)U64(image, entry);
                    if (tag == 0)
                    {
                        break;
                    }
                    if (tag == TagNeeded)
                    {
                        needed.Add(String(image, strings.Offset + (int)U64(image, entry + 8)));
                    }
                }
            }
            else if (section.Type == SectionVersionNeeds)
            {
                // Elf64_Verneed {vn_version, vn_cnt, vn_file, vn_aux, vn_next}, each followed by vn_cnt Elf64_Vernaux
                // {vna_hash, vna_flags, vna_other, vna_name, vna_next}; sh_info counts the Verneed entries.
                var strings = sections[(int)section.Link];
                var need = section.Offset;
                for (var i = 0; i < section.Info; i++)
                {
                    var library = String(image, strings.Offset + (int)U32(image, need + 4));
                    var aux = need + (int)U32(image, need + 8);
                    for (var j = 0; j < U16(image, need + 2); j++)
                    {
                        versionNeeds.Add((library, String(image, strings.Offset + (int)U32(image, aux + 8))));
                        aux += (int)U32(image, aux + 12);
                    }
                    need += (int)U32(image, need + 12);
                }
            }
        }
        return new ElfImage(machine, needed, versionNeeds);
    }

    private static ushort U16(ReadOnlySpan<byte> image, int at) => BinaryPrimitives.ReadUInt16LittleEndian(image[at..]);

    private static uint U32(ReadOnlySpan<byte> image, int at) => BinaryPrimitives.ReadUInt32LittleEndian(image[at..]);

    private static ulong U64(ReadOnlySpan<byte> image, int at) => BinaryPrimitives.ReadUInt64LittleEndian(image[at..]);

    private static string String(ReadOnlySpan<byte> image, int at)
    {
        var length = image[at..].IndexOf((byte)0);
        return Encoding.ASCII.GetString(image.Slice(at, length));
    }

    /// <summary>The fields of an Elf64_Shdr that the reader uses.</summary>
    private readonly record struct Section(uint Type, int Offset, int Size, uint Link, uint Info)
    {
        public static Section At(ReadOnlySpan<byte> image, int at) => new(
            U32(image, at + 4), checked((int)U64(image, at + 24)), checked((int)U64(image, at + 32)), U32(image, at + 40), U32(image, at + 44));
    }
}
