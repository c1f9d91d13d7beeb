// SPDX-License-Identifier: GPL-2.0
/*
 * CPU copies between RAM and the BAR, and making writes durable.
 *
 * memcpy_toio() and friends may split a copy into byte or word accesses at
 * its edges, and some devices reject (or corrupt on) accesses narrower than
 * their BAR's native width.  These copies issue only naturally aligned
 * accesses of exactly idev->access_width bytes.  The block layer hands us
 * sector-aligned offsets and lengths, so the BAR side is always aligned;
 * the RAM side may not be and is read with get_unaligned().
 */
#include <linux/io.h>
#include <linux/mm.h>

#include "compat.h"
#include "iopmem.h"

static bool iopmem_io_ok(struct iopmem_dev *idev, u64 off, size_t len,
			 unsigned int width)
{
	return READ_ONCE(idev->io_state) == IOPMEM_IO_OK &&
	       IS_ALIGNED(off | len, width) && off <= idev->size &&
	       len <= idev->size - off;
}

void iopmem_io_set_state(struct iopmem_dev *idev, enum iopmem_io_state state)
{
	WRITE_ONCE(idev->io_state, state);
}

/*
 * A read of a function that is gone (surprise removal, link down, D3)
 * completes with all ones.  So can a read of real data, so all ones only
 * makes us ask the config space whether the function is still there; if
 * not, every later access fails at once instead of costing a completion
 * timeout each.
 */
static int iopmem_check_all_ones(struct iopmem_dev *idev, u64 val, u64 ones)
{
	if (val != ones || pci_device_is_present(idev->pdev))
		return 0;
	if (READ_ONCE(idev->io_state) != IOPMEM_IO_GONE) {
		iopmem_io_set_state(idev, IOPMEM_IO_GONE);
		pci_err(idev->pdev, "the function is gone (reads return all ones): failing I/O\n");
	}
	return -EIO;
}

/* One 64-byte line as eight 8-byte accesses, the stores in order. */
static __always_inline void iopmem_write_line(void __iomem *dst,
					      const void *src)
{
	__raw_writeq(get_unaligned((const u64 *)src), dst);
	__raw_writeq(get_unaligned((const u64 *)(src + 8)), dst + 8);
	__raw_writeq(get_unaligned((const u64 *)(src + 16)), dst + 16);
	__raw_writeq(get_unaligned((const u64 *)(src + 24)), dst + 24);
	__raw_writeq(get_unaligned((const u64 *)(src + 32)), dst + 32);
	__raw_writeq(get_unaligned((const u64 *)(src + 40)), dst + 40);
	__raw_writeq(get_unaligned((const u64 *)(src + 48)), dst + 48);
	__raw_writeq(get_unaligned((const u64 *)(src + 56)), dst + 56);
}

static __always_inline void iopmem_read_line(void *dst,
					     const void __iomem *src)
{
	put_unaligned(__raw_readq(src), (u64 *)dst);
	put_unaligned(__raw_readq(src + 8), (u64 *)(dst + 8));
	put_unaligned(__raw_readq(src + 16), (u64 *)(dst + 16));
	put_unaligned(__raw_readq(src + 24), (u64 *)(dst + 24));
	put_unaligned(__raw_readq(src + 32), (u64 *)(dst + 32));
	put_unaligned(__raw_readq(src + 40), (u64 *)(dst + 40));
	put_unaligned(__raw_readq(src + 48), (u64 *)(dst + 48));
	put_unaligned(__raw_readq(src + 56), (u64 *)(dst + 56));
}

int iopmem_copy_to_bar(struct iopmem_dev *idev, u64 off, const void *src,
		       size_t len)
{
	unsigned int width = READ_ONCE(idev->access_width);
	void __iomem *dst = idev->virt + off;
	size_t i;

	if (!iopmem_io_ok(idev, off, len, width))
		return -EIO;
	if (width == 8) {
		/*
		 * Unrolled by 8 (one 64-byte line per pass), so that the
		 * loop's own instructions are a fifth of the copy's.
		 */
		for (i = 0; i + 64 <= len; i += 64)
			iopmem_write_line(dst + i, src + i);
		for (; i < len; i += 8)
			__raw_writeq(get_unaligned((const u64 *)(src + i)),
				     dst + i);
	} else {
		for (i = 0; i < len; i += 4)
			__raw_writel(get_unaligned((const u32 *)(src + i)),
				     dst + i);
	}
	/*
	 * Drain the write-combining buffers now, so that a later read, a
	 * peer's DMA or the next bio sees these bytes; the read-back that
	 * makes them durable is only paid on flush and FUA.
	 */
	wmb();
	return 0;
}

int iopmem_copy_from_bar(struct iopmem_dev *idev, u64 off, void *dst,
			 size_t len)
{
	unsigned int width = READ_ONCE(idev->access_width);
	const void __iomem *src = idev->virt + off;
	size_t i;

	if (!iopmem_io_ok(idev, off, len, width))
		return -EIO;
	/* Order these loads after whatever the caller saw before. */
	rmb();
	if (width == 8) {
		for (i = 0; i + 64 <= len; i += 64)
			iopmem_read_line(dst + i, src + i);
		for (; i < len; i += 8)
			put_unaligned(__raw_readq(src + i), (u64 *)(dst + i));
		return iopmem_check_all_ones(idev, get_unaligned((u64 *)dst),
					     U64_MAX);
	}
	for (i = 0; i < len; i += 4)
		put_unaligned(__raw_readl(src + i), (u32 *)(dst + i));
	return iopmem_check_all_ones(idev, get_unaligned((u32 *)dst), U32_MAX);
}

/*
 * Zero [off, off + len) of the BAR: copies of the zero page, so that the
 * stores are the same full-width ones as every other write.
 */
int iopmem_zero_bar(struct iopmem_dev *idev, u64 off, size_t len)
{
	const void *zero = page_address(ZERO_PAGE(0));
	int rc = 0;

	while (len && !rc) {
		size_t n = min_t(size_t, len, PAGE_SIZE);

		rc = iopmem_copy_to_bar(idev, off, zero, n);
		off += n;
		len -= n;
	}
	return rc;
}

/*
 * iopmem_flush() - return 0 only once every earlier store reached the
 * device.
 *
 * PCIe memory writes are posted; a read from the same function may not
 * pass them (PCIe ordering rules), so when a read of the BAR completes,
 * the writes issued before it have arrived.  The read must be issued
 * after the stores: wmb() (sfence on x86) orders stores only, and a load,
 * from a write-combining mapping even a speculative one, may pass it.
 * mb() (mfence) orders the load after every earlier store, WC buffers
 * included.  A read of all ones from a function that is gone is not an
 * arrival: the flush fails with -EIO.  Whether arrival is durable is the
 * device's property: see the persistent attribute and
 * Documentation/iopmem.rst.
 */
int iopmem_flush(struct iopmem_dev *idev)
{
	int rc;

	if (READ_ONCE(idev->io_state) != IOPMEM_IO_OK)
		return -EIO;
	/* The read-back below may not pass any earlier store (see above). */
	mb();
	if (READ_ONCE(idev->access_width) == 8)
		rc = iopmem_check_all_ones(idev, readq(idev->virt), U64_MAX);
	else
		rc = iopmem_check_all_ones(idev, readl(idev->virt), U32_MAX);
	if (!rc)
		atomic64_inc(&idev->flushes);
	return rc;
}
