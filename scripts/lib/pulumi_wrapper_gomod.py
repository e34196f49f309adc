"""Print a go.mod for a wrapper module that builds the Pulumi CLI at one exact version.

usage: pulumi_wrapper_gomod.py <path to pkg/v3's go.mod> <version without v>
"""
import re
import sys

src = open(sys.argv[1]).read()
version = sys.argv[2]
go = re.search(r"^go (\S+)", src, re.M).group(1)
requires = []
for block in re.findall(r"^require \((.*?)^\)", src, re.S | re.M):
    requires += [l.strip() for l in block.strip().splitlines()]
requires += re.findall(r"^require ([^(\s].*)$", src, re.M)
requires = [r for r in requires if r and not r.startswith("//") and not r.startswith("github.com/pulumi/pulumi/sdk/v3 ")]
# pkg's own replace lines, except the one that points at its sibling folder (../sdk).
replaces = [r for r in re.findall(r"^replace (.*)$", src, re.M) if "=> ../" not in r]

print("module eosnetwork.local/pulumi-cli\n")
print(f"go {go}\n")
print("require (")
print(f"\tgithub.com/pulumi/pulumi/pkg/v3 v{version}")
print(f"\tgithub.com/pulumi/pulumi/sdk/v3 v{version}")
for r in requires:
    print("\t" + r)
print(")\n")
for r in replaces:
    print("replace " + r)
print(f"replace github.com/pulumi/pulumi/pkg/v3 => github.com/pulumi/pulumi/pkg/v3 v{version}")
print(f"replace github.com/pulumi/pulumi/sdk/v3 => github.com/pulumi/pulumi/sdk/v3 v{version}")
