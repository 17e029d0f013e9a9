/** The qemu-style runtime's ablation: chaining on (QEMU) or off (QEMU's -d nochain). */
export interface QemuStyleOptions {
  chaining: boolean;
}

export const QEMU_STYLE_DEFAULTS: QemuStyleOptions = { chaining: true };
