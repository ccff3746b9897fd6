package dev.loopline.core.guard.command;

import java.util.List;
import java.util.Set;

/**
 * Formatters, partitioners and erasers of block devices, under any of their names. Each returns the reason it
 * destroys data, or null when the invocation only reads (lists, prints, verifies).
 */
final class DiskTools {
    private DiskTools() {}

    private static final Set<String> FORMATTERS = Set.of(
            "mke2fs",
            "mkswap",
            "mkdosfs",
            "mkntfs",
            "mkexfatfs",
            "mkreiserfs",
            "mkudffs",
            "newfs",
            "newfs_msdos",
            "shred",
            "blkdiscard",
            "sg_format",
            "sg_sanitize");
    private static final Set<String> PARTITIONERS = Set.of("fdisk", "sfdisk", "cfdisk", "parted", "gdisk", "sgdisk");
    static final Set<String> NAMES = Set.of(
            "mke2fs",
            "mkswap",
            "mkdosfs",
            "mkntfs",
            "mkexfatfs",
            "mkreiserfs",
            "mkudffs",
            "newfs",
            "newfs_msdos",
            "shred",
            "blkdiscard",
            "sg_format",
            "sg_sanitize",
            "fdisk",
            "sfdisk",
            "cfdisk",
            "parted",
            "gdisk",
            "sgdisk",
            "wipefs",
            "hdparm",
            "cryptsetup",
            "zpool",
            "zfs",
            "lvremove",
            "vgremove",
            "pvremove",
            "mdadm",
            "nvme",
            "diskutil",
            "ddrescue");

    static boolean isDiskTool(String name) {
        return CommandKinds.is(name, CommandKinds.DISK);
    }

    /** Why this invocation destroys a disk or filesystem, or null when it does not. */
    static String destroys(String name, List<Word> w, int i) {
        if (name.startsWith("mkfs") || FORMATTERS.contains(name)) {
            return helpOnly(w, i) ? null : name;
        }
        if (PARTITIONERS.contains(name)) {
            return readOnlyPartitioner(name, w, i) ? null : name;
        }
        return switch (name) {
            case "wipefs" -> {
                boolean erases = false;
                for (int j = i + 1; j < w.size(); j++) {
                    String a = w.get(j).text();
                    if (a.equals("-n") || a.equals("--no-act")) {
                        yield null;
                    }
                    // without -a/-o wipefs only prints the signatures it finds
                    erases |= a.equals("--all")
                            || a.startsWith("--offset")
                            || (a.startsWith("-") && !a.startsWith("--") && (a.indexOf('a') > 0 || a.indexOf('o') > 0));
                }
                yield erases ? "wipefs" : null;
            }
            case "hdparm" -> firstArgStarting(
                            w,
                            i,
                            "--security-erase",
                            "--trim-sector-ranges",
                            "--write-sector",
                            "--fwdownload",
                            "--make-bad-sector",
                            "--dco-restore",
                            "--security-set-pass")
                    ? "hdparm erase or raw write"
                    : null;
            case "cryptsetup" -> hasOperand(w, i, "luksFormat", "erase", "luksErase", "reencrypt", "luksKillSlot")
                    ? "cryptsetup " + "format or erase"
                    : null;
            case "zpool" -> hasOperand(w, i, "destroy", "labelclear", "create")
                    ? "zpool destroy/labelclear/create"
                    : null;
            case "zfs" -> hasOperand(w, i, "destroy") ? "zfs destroy" : null;
            case "lvremove", "vgremove", "pvremove" -> helpOnly(w, i) ? null : name;
            case "mdadm" -> firstArgStarting(w, i, "--zero-superblock", "--create", "-C")
                    ? "mdadm --zero-superblock/--create"
                    : null;
            case "nvme" -> hasOperand(w, i, "format", "sanitize", "write-zeroes", "delete-ns")
                    ? "nvme format/sanitize"
                    : null;
            case "diskutil" -> hasOperandStarting(
                            w, i, "erase", "zeroDisk", "randomDisk", "secureErase", "partitionDisk", "reformat")
                    ? "diskutil erase"
                    : null;
            case "ddrescue" -> {
                for (int j = i + 1; j < w.size(); j++) {
                    if (Paths.isBlockDevice(w.get(j).text())
                            && j > i + 1
                            && !w.get(j - 1).text().startsWith("-")) {
                        yield "ddrescue onto " + w.get(j).text();
                    }
                }
                yield null;
            }
            default -> null;
        };
    }

    private static boolean helpOnly(List<Word> w, int i) {
        for (int j = i + 1; j < w.size(); j++) {
            String a = w.get(j).text();
            if (a.equals("--help") || a.equals("--version") || a.equals("-h") || a.equals("-V")) {
                return true;
            }
        }
        return false;
    }

    private static boolean readOnlyPartitioner(String name, List<Word> w, int i) {
        for (int j = i + 1; j < w.size(); j++) {
            String a = w.get(j).text();
            boolean listing =
                    switch (name) {
                        case "fdisk", "sfdisk", "gdisk", "sgdisk" -> a.equals("-l")
                                || a.equals("--list")
                                || a.equals("-d")
                                || a.equals("--dump")
                                || a.equals("-p")
                                || a.equals("--print")
                                || a.equals("-V")
                                || a.equals("--verify");
                        case "parted" -> a.equals("-l") || a.equals("--list") || a.equals("print");
                        default -> false;
                    };
            if (listing || a.equals("--help") || a.equals("--version") || a.equals("-h")) {
                return true;
            }
        }
        return false;
    }

    private static boolean firstArgStarting(List<Word> w, int i, String... options) {
        for (int j = i + 1; j < w.size(); j++) {
            String a = w.get(j).text();
            for (String o : options) {
                if (a.startsWith(o)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean hasOperand(List<Word> w, int i, String... operands) {
        for (int j = i + 1; j < w.size(); j++) {
            String a = w.get(j).text();
            for (String o : operands) {
                if (a.equals(o)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean hasOperandStarting(List<Word> w, int i, String... prefixes) {
        for (int j = i + 1; j < w.size(); j++) {
            String a = w.get(j).text();
            for (String p : prefixes) {
                if (a.startsWith(p)) {
                    return true;
                }
            }
        }
        return false;
    }
}
