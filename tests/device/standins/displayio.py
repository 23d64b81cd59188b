"""Stand-in for CircuitPython's `displayio`: Bitmap, Palette, Group, TileGrid (no drawing)."""


class Bitmap:
    """Packed like the C Bitmap (1, 2, 4 or 8 bits per value, rows padded to 32 bits), so
    the gate's heap figures count what the device holds."""

    def __init__(self, width, height, value_count):
        self.width = width
        self.height = height
        bits = 1
        while (1 << bits) < value_count:
            bits *= 2
        self._bits = bits
        self._mask = (1 << bits) - 1
        self._stride = (width * bits + 31) // 32 * 4
        self._data = bytearray(self._stride * height)

    def _locate(self, index):
        if isinstance(index, tuple):
            x, y = index
            if not (0 <= x < self.width and 0 <= y < self.height):
                raise IndexError("pixel out of bounds")
        else:
            x = index % self.width
            y = index // self.width
        bit = x * self._bits
        return y * self._stride + (bit >> 3), bit & 7

    def __getitem__(self, index):
        i, shift = self._locate(index)
        return (self._data[i] >> shift) & self._mask

    def __setitem__(self, index, value):
        i, shift = self._locate(index)
        self._data[i] = (self._data[i] & ~(self._mask << shift)) | (value << shift)

    def fill(self, value):
        pattern = 0
        for shift in range(0, 8, self._bits):
            pattern |= value << shift
        data = self._data
        for i in range(len(data)):
            data[i] = pattern


class Palette:
    def __init__(self, color_count, dither=False):
        self._colors = [0] * color_count
        self._transparent = bytearray(color_count)

    def __len__(self):
        return len(self._colors)

    def __getitem__(self, index):
        return self._colors[index]

    def __setitem__(self, index, color):
        self._colors[index] = color

    def make_transparent(self, index):
        self._transparent[index] = 1

    def make_opaque(self, index):
        self._transparent[index] = 0

    def is_transparent(self, index):
        return bool(self._transparent[index])


class Group:
    # Fields behind properties: a subclass (a Label) overrides `scale` and friends, and
    # the C Group's constructor does not call into it.
    def __init__(self, scale=1, x=0, y=0):
        self._g_scale = scale
        self._g_x = x
        self._g_y = y
        self._g_hidden = False
        self._items = []

    @property
    def scale(self):
        return self._g_scale

    @scale.setter
    def scale(self, value):
        self._g_scale = value

    @property
    def x(self):
        return self._g_x

    @x.setter
    def x(self, value):
        self._g_x = value

    @property
    def y(self):
        return self._g_y

    @y.setter
    def y(self, value):
        self._g_y = value

    @property
    def hidden(self):
        return self._g_hidden

    @hidden.setter
    def hidden(self, value):
        self._g_hidden = value

    def append(self, item):
        self._items.append(item)

    def insert(self, index, item):
        self._items.insert(index, item)

    def remove(self, item):
        self._items.remove(item)

    def pop(self, index=-1):
        return self._items.pop(index)

    def index(self, item):
        return self._items.index(item)

    def __len__(self):
        return len(self._items)

    def __getitem__(self, index):
        return self._items[index]

    def __setitem__(self, index, item):
        self._items[index] = item

    def __delitem__(self, index):
        del self._items[index]


class TileGrid:
    def __init__(self, bitmap, pixel_shader, width=1, height=1, tile_width=None,
                 tile_height=None, default_tile=0, x=0, y=0):
        self.bitmap = bitmap
        self.pixel_shader = pixel_shader
        self.width = width
        self.height = height
        self.tile_width = bitmap.width if tile_width is None else tile_width
        self.tile_height = bitmap.height if tile_height is None else tile_height
        self.x = x
        self.y = y
        self.hidden = False
        self.flip_x = self.flip_y = self.transpose_xy = False


def release_displays():
    pass
