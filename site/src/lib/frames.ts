// Frame colours a wall item can have (the API's FRAME_COLORS, edge/services/wall.ts) and how they look.
export const FRAMES = [
  { id: "black", name: "Black", color: "#222222" },
  { id: "white", name: "White", color: "#f4f4f0" },
  { id: "oak", name: "Oak", color: "#c89b62" },
  { id: "walnut", name: "Walnut", color: "#502900" },
  { id: "gold", name: "Gold", color: "#b8912f" },
  { id: "silver", name: "Silver", color: "#a8a9ad" },
  { id: "none", name: "No frame", color: "transparent" },
] as const;
export type FrameId = (typeof FRAMES)[number]["id"];

export function frameOf(id: string | null | undefined) {
  return FRAMES.find((f) => f.id === id) ?? FRAMES[0];
}
