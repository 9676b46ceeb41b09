// Downloads and unpacks the Debian openclipart-svg package into a cache dir, once.
// No system install: `apt-get download` + `dpkg -x` only need the apt archive to be reachable.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { progress } from "./progress.ts";

export const PACKAGE = "openclipart-svg";
const SVG_ROOT = "usr/share/openclipart/svg";

/** Returns the directory holding the package's SVG tree (`<cache>/extracted/usr/share/openclipart/svg`). */
export function ensurePackage(cacheDir: string): string {
  mkdirSync(cacheDir, { recursive: true });
  const extracted = join(cacheDir, "extracted");
  const svgRoot = join(extracted, SVG_ROOT);
  if (existsSync(svgRoot)) {
    progress("package already unpacked", { svgRoot });
    return svgRoot;
  }
  let deb = findDeb(cacheDir);
  if (!deb) {
    progress("downloading package", { package: PACKAGE, cacheDir });
    try {
      execFileSync("apt-get", ["download", PACKAGE], { cwd: cacheDir, stdio: ["ignore", "ignore", "pipe"] });
    } catch (err) {
      throw new Error(
        `apt-get download ${PACKAGE} failed (is Debian's apt archive reachable? try 'apt-get update'): ${(err as Error).message}`,
      );
    }
    deb = findDeb(cacheDir);
    if (!deb) throw new Error(`apt-get download ${PACKAGE} produced no .deb in ${cacheDir}`);
  }
  progress("unpacking package", { deb });
  execFileSync("dpkg", ["-x", join(cacheDir, deb), extracted], { stdio: ["ignore", "ignore", "pipe"] });
  if (!existsSync(svgRoot)) throw new Error(`${deb} has no ${SVG_ROOT}`);
  return svgRoot;
}

function findDeb(dir: string): string | undefined {
  return readdirSync(dir).find((f) => f.startsWith(`${PACKAGE}_`) && f.endsWith(".deb"));
}
