package io.dpuvpc.ovn.lab;

/** A binary (or schema file) the lab needs is not installed; names the Debian package that has it. */
public final class MissingToolException extends OvnLabException {
    private final String tool;
    private final String debianPackage;

    public MissingToolException(String tool, String debianPackage) {
        super(tool + " not found: install the Debian package " + debianPackage
                + " (as root: apt-get install -y openvswitch-switch ovn-central ovn-host openssl,"
                + " or run bin/vpc test once)");
        this.tool = tool;
        this.debianPackage = debianPackage;
    }

    /** The missing binary or file, e.g. {@code ovn-northd}. */
    public String tool() {
        return tool;
    }

    /** The Debian package that provides it, e.g. {@code ovn-central}. */
    public String debianPackage() {
        return debianPackage;
    }
}
