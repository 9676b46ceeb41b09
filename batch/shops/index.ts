// Paths of the shop configs that ship with the repo (adding a shop = adding a file here).
import { fileURLToPath } from "node:url";

export const OPENCLIPART_SHOP_CONFIG = fileURLToPath(new URL("./openclipart-prints.json", import.meta.url));
export const OPENMOJI_SHOP_CONFIG = fileURLToPath(new URL("./openmoji-stickers.yaml", import.meta.url));
